from django.shortcuts import render


def index(request):
    """List the feeds the viewer may read."""
    return render(request, "feeds/index.html")

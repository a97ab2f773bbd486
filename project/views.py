"""Site-wide pages that belong to no app."""

from django.shortcuts import render


def home(request):
    """Render the home page; part of it is a fragment kept in the objects cache."""
    return render(request, "home.html")

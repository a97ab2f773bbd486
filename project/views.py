"""The site's own page: home. (Status and the objects flush are ops' pages: ops/views.py.)"""

from django.shortcuts import render


def home(request):
    """What this site is, and what to try on it."""
    return render(request, "home.html")

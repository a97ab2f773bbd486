"""What templates/base.html shows on every page from the project: the site's name. The menu
entries and links come from the apps' own context processors (the demo's:
feeds.context_processors)."""

from django.conf import settings


def site(request):
    return {"site_name": settings.SITE_NAME}

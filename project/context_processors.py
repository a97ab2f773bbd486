"""What templates/base.html shows on every page, from the apps that are installed."""

from django.apps import apps
from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """The site's name, its menu and the account page's links from apps (label, URL name, what
    it offers), and the feeds this viewer may read.

    The menu entries, account links and ``<link rel="alternate">`` tags of the feeds app (the
    demo layer) are there only while it is installed: take "feeds" out of INSTALLED_APPS and
    every page still renders, without them.
    """
    context = {
        "site_name": settings.SITE_NAME,
        "site_menu": [],
        "account_links": [],
        "alternate_links": [],
    }
    if apps.is_installed("feeds"):
        # Imported only when the app is installed.
        from feeds.catalog import alternate_links
        from feeds.conf import app_settings as feeds_settings

        context["site_menu"] = [
            ("Entries", "entry-list", "Read the entries: public ones, and more once signed in."),
            ("Feeds", "feeds-index", "Follow them in a feed reader, private feeds included."),
        ]
        # On /account/, after the project's own links.
        if feeds_settings.SECRET_ADDRESSES:
            context["account_links"] = [
                (
                    "Secret feed addresses",
                    "feed-addresses",
                    "for feed readers that cannot send a username and password.",
                ),
            ]
        # Lazily: it asks for the viewer's permissions, and a page that never shows the
        # links (a redirect, a JSON answer) should not pay for that.
        context["alternate_links"] = SimpleLazyObject(lambda: alternate_links(request.user))
    return context

"""What the site's templates show of the feeds, on every page: listed in TEMPLATES next to
"feeds" in INSTALLED_APPS, as django.contrib.messages' is, and removed with it.

The site's templates loop over ``site_menu`` and ``account_links``, (label, URL name, what it
offers) triples for the menu and the account page, and ``alternate_links``, the
``<link rel="alternate">`` tags of the feeds this viewer may read: without the app they are
simply absent. An app of yours with entries of its own adds them here, or in a context
processor that gives these names.
"""

from django.utils.functional import SimpleLazyObject

from feeds.catalog import alternate_links
from feeds.conf import app_settings

MENU = [
    ("Entries", "entry-list", "Read the entries: public ones, and more once signed in."),
    ("Feeds", "feeds-index", "Follow them in a feed reader, private feeds included."),
]
ACCOUNT_LINKS = [
    (
        "Secret feed addresses",
        "feed-addresses",
        "for feed readers that cannot send a username and password.",
    ),
]


def feeds(request):
    return {
        "site_menu": MENU,
        "account_links": ACCOUNT_LINKS if app_settings.SECRET_ADDRESSES else [],
        # Lazily: it asks for the viewer's permissions, and a page that never shows the
        # links (a redirect, a JSON answer) should not pay for that.
        "alternate_links": SimpleLazyObject(lambda: alternate_links(request.user)),
    }

"""The feeds app's settings: one place, each default with its reason.

Read at call time (``app_settings.MAX_ITEMS``), so ``override_settings`` works. Every setting
is named ``FEEDS_<NAME>`` in the project's settings.
"""

from django.conf import settings

DEFAULTS = {
    # Items per feed: readers poll often, and a feed is a window, not an archive.
    "MAX_ITEMS": 50,
    # Seconds a rendered feed stays in the objects cache. Its key names the newest
    # change, so a changed entry is served at once; this only bounds memory.
    "CACHE_TTL": 3600,
    # The CACHES alias that keeps rendered feeds: the objects cache.
    "CACHE_ALIAS": "default",
    # The title readers show for the site's feeds (the project sets its SITE_NAME here).
    "SITE_TITLE": "Feeds",
    # Secret feed addresses (/account/feed-addresses/): False turns them off site-wide, those
    # already made included (they answer 404 until it is True again).
    "SECRET_ADDRESSES": True,
    # The origin of absolute URLs in feeds and on /feeds/, such as "https://example.com";
    # None: the scheme and host of each request (the project sets its SITE_URL here).
    "SITE_URL": None,
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"feeds has no setting {name!r}")
        return getattr(settings, f"FEEDS_{name}", DEFAULTS[name])


app_settings = AppSettings()

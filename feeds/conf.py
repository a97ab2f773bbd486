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
    # Seconds a reader should wait between two polls: every feed answer says so
    # (Cache-Control: max-age; RSS <ttl> in minutes). Readers that honour it poll 4 times an
    # hour at most; a new entry reaches them within 15 minutes.
    "POLL_INTERVAL": 900,
    # (burst, per_hour): full answers one credential may fetch, `burst` at once and `per_hour`
    # on average (feeds.polling); past it, 429 with Retry-After. 12 lets a reader add a feed
    # (two or three fetches) and refresh by hand; 8 an hour covers both formats at the poll
    # interval. 304s are free. None: no budget.
    "POLL_BUDGET": (12, 8),
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"feeds has no setting {name!r}")
        return getattr(settings, f"FEEDS_{name}", DEFAULTS[name])


app_settings = AppSettings()

"""System checks for the feeds app.

E001  FEEDS_MAX_ITEMS is not a whole number >= 1.
E002  FEEDS_CACHE_TTL is not a whole number of seconds >= 1.
"""

from django.core import checks

from feeds.conf import app_settings


def _whole(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register()
def check_settings(app_configs, **kwargs):
    messages = []
    if not _whole(app_settings.MAX_ITEMS, 1):
        messages.append(
            checks.Error(
                f"FEEDS_MAX_ITEMS is {app_settings.MAX_ITEMS!r}; it must be a whole number >= 1.",
                hint="50 is a common window for feed readers.",
                id="feeds.E001",
            )
        )
    if not _whole(app_settings.CACHE_TTL, 1):
        messages.append(
            checks.Error(
                f"FEEDS_CACHE_TTL is {app_settings.CACHE_TTL!r}; it must be a whole number of "
                "seconds >= 1.",
                hint="3600 is plenty: a changed entry changes the cache key anyway.",
                id="feeds.E002",
            )
        )
    return messages

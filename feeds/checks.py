"""System checks for the ways the feeds app can be misconfigured.

E001  FEEDS_MAX_ITEMS is not a whole number >= 1.
E002  FEEDS_CACHE_TTL is not a whole number of seconds >= 1.
E003  FEEDS_CACHE_ALIAS names no CACHES entry.
E004  FEEDS_SECRET_ADDRESSES is not True or False.
E005  FEEDS_POLL_INTERVAL is not a whole number of seconds >= 60.
E006  FEEDS_POLL_BUDGET is neither None nor a pair of whole numbers >= 1 (burst, per hour).
"""

from django.conf import settings
from django.core import checks

from feeds.conf import app_settings


def _is_whole_number(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register("feeds")
def check_settings(app_configs, **kwargs):
    messages: list[checks.CheckMessage] = []
    if not _is_whole_number(app_settings.MAX_ITEMS, 1):
        messages.append(
            checks.Error(
                f"FEEDS_MAX_ITEMS is {app_settings.MAX_ITEMS!r}; it must be a whole number >= 1.",
                hint="50 is a common window for feed readers.",
                id="feeds.E001",
            )
        )
    if not isinstance(app_settings.SECRET_ADDRESSES, bool):
        messages.append(
            checks.Error(
                f"FEEDS_SECRET_ADDRESSES is {app_settings.SECRET_ADDRESSES!r}; it must be True "
                "or False.",
                hint="False turns secret feed addresses off site-wide; True offers them.",
                id="feeds.E004",
            )
        )
    if not _is_whole_number(app_settings.POLL_INTERVAL, 60):
        messages.append(
            checks.Error(
                f"FEEDS_POLL_INTERVAL is {app_settings.POLL_INTERVAL!r}; it must be a whole "
                "number of seconds >= 60.",
                hint="900 (15 minutes) is what most readers expect; RSS says it in minutes.",
                id="feeds.E005",
            )
        )
    budget = app_settings.POLL_BUDGET
    if budget is not None and not (
        isinstance(budget, (tuple, list))
        and len(budget) == 2
        and all(_is_whole_number(number, 1) for number in budget)
    ):
        messages.append(
            checks.Error(
                f"FEEDS_POLL_BUDGET is {budget!r}; it must be None or a pair of whole numbers "
                ">= 1: (burst, per_hour).",
                hint="(12, 8) lets a reader add a feed and refresh by hand, and poll both "
                "formats every 15 minutes.",
                id="feeds.E006",
            )
        )
    return messages


@checks.register("feeds", checks.Tags.caches)
def check_cache(app_configs, **kwargs):
    messages: list[checks.CheckMessage] = []
    if not _is_whole_number(app_settings.CACHE_TTL, 1):
        messages.append(
            checks.Error(
                f"FEEDS_CACHE_TTL is {app_settings.CACHE_TTL!r}; it must be a whole number of "
                "seconds >= 1.",
                hint="3600 is plenty: a changed entry changes the cache key anyway.",
                id="feeds.E002",
            )
        )
    if app_settings.CACHE_ALIAS not in settings.CACHES:
        messages.append(
            checks.Error(
                f"FEEDS_CACHE_ALIAS is {app_settings.CACHE_ALIAS!r}, which is not in CACHES.",
                hint="Name an existing alias (the objects cache, 'default', is the usual one).",
                id="feeds.E003",
            )
        )
    return messages

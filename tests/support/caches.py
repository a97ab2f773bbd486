"""Pointing the suite's cache aliases at memcached daemons."""

from django.conf import settings
from django.core.cache import caches


def holds_under_any_alias(daemon, key):
    """Say whether ``daemon`` holds ``key`` as any cache alias would have stored it."""
    return any(daemon.holds(caches[alias].make_key(key)) for alias in settings.CACHES)


def use_daemon(settings, alias, daemon):
    """Point the cache ``alias`` at ``daemon`` alone, for the rest of the test (``settings``:
    pytest-django's fixture, which undoes it)."""
    config = {**settings.CACHES[alias], "LOCATION": [daemon.address]}
    settings.CACHES = {**settings.CACHES, alias: config}

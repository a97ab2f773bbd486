"""The address throttle: failed Basic checks of each client, whatever the usernames.

Each check of a new username costs a slow hash, and django-axes counts failures one username
at a time, so a client that changes username at each guess would never be locked out. After
HTTPAUTH_ADDRESS_FAILURE_LIMIT failures within HTTPAUTH_ADDRESS_FAILURE_WINDOW seconds, the
client (an IPv6 client is its /64: httpauth.clients) is throttled until the window ends
(httpauth.basic answers 429). The failures are counted in the database (httpauth.limits),
where no flush of a cache resets them, and copied into the credential cache, which each check
reads: a poll costs no query for them, but the first after a flush or a restart.
"""

from __future__ import annotations

from django.http import HttpRequest

from httpauth import credential_cache, limits
from httpauth.clients import client_key
from httpauth.conf import app_settings

KEY_PREFIX = "httpauth.failures."


def key(request: HttpRequest) -> str:
    return KEY_PREFIX + client_key(request)


def throttled(request: HttpRequest) -> bool:
    """Whether the request's client has failed too often."""
    limit = app_settings.ADDRESS_FAILURE_LIMIT
    if not limit:
        return False
    client = key(request)
    failures = credential_cache.remembered(client)
    if failures is None:
        failures, seconds_left = limits.current(client)
        credential_cache.remember(
            client, failures, seconds_left or app_settings.ADDRESS_FAILURE_WINDOW
        )
    return bool(failures >= limit)


def count_failure(request: HttpRequest) -> None:
    if not app_settings.ADDRESS_FAILURE_LIMIT:
        return
    client = key(request)
    failures, seconds_left = limits.count(client, app_settings.ADDRESS_FAILURE_WINDOW)
    credential_cache.remember(client, failures, seconds_left)

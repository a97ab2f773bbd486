"""The address throttle: failed sign-ins of each client, whatever the usernames.

Each check of a new username costs a slow hash, and django-axes counts failures one username
at a time, so a client that changes username at each guess would never be locked out. After
HTTPAUTH_ADDRESS_FAILURE_LIMIT failures within HTTPAUTH_ADDRESS_FAILURE_WINDOW seconds, the
client (an IPv6 client is its /64: httpauth.clients) is throttled until the window ends. The
failures are counted in the database (httpauth.limits), where no flush of a cache resets
them, and copied into the credential cache, which each check reads: a poll costs no query for
them, but the first after a flush or a restart.

Every failure counts, on the Basic path (httpauth.basic) and anywhere else ``authenticate()``
fails for a request (``count_failed_sign_in``, a ``user_login_failed`` receiver): the sign-in
form and the admin's. While throttled, Basic answers 429 (but to an app password), and so does
a view under ``throttled_sign_in``, before any password is checked, whatever the password:
otherwise spraying one password across usernames through the form goes on unlimited, one
slow hash of the server's CPU per try (SECURITY.md, third review, #3).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from httpauth import credential_cache, limits
from httpauth.backends import BASIC_ATTEMPT
from httpauth.clients import client_key
from httpauth.conf import app_settings
from httpauth.lockout import lockout_response

KEY_PREFIX = "httpauth.failures."


def key(request: HttpRequest) -> str:
    return KEY_PREFIX + client_key(request)


def throttled(request: HttpRequest) -> bool:
    """Whether the request's client has failed too often (its copy read ahead, if it was)."""
    limit = app_settings.ADDRESS_FAILURE_LIMIT
    if not limit:
        return False
    client = key(request)
    failures = credential_cache.remembered(client, request)
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


def count_failed_sign_in(
    sender: Any, credentials: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Count a failed ``authenticate()`` of a request; the Basic path counts its own."""
    if request is not None and not getattr(request, BASIC_ATTEMPT, False):
        count_failure(request)


def throttled_sign_in(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Refuse a sign-in POST with 429 while its client is throttled, before the password is
    checked: the same answer, after the same work, whatever the password. For the site's
    sign-in view and the admin's (``admin.site.login``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and throttled(request):
            return lockout_response(request, seconds=app_settings.ADDRESS_FAILURE_WINDOW)
        return view(request, *args, **kwargs)

    return wrapper

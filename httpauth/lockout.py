"""django-axes' lockout, as the Basic path asks it and answers it.

``is_locked_out`` asks axes before anything else is checked; ``lockout_response`` is the
answer, 429 with Retry-After, used by the Basic path and, as AXES_LOCKOUT_CALLABLE, by
axes' middleware for the sign-in form, so both say the same thing the same way.
django-axes is optional (check httpauth.W003 says what is lost without it), so it is
imported only where it is used.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def is_locked_out(request: HttpRequest, username: str) -> bool:
    """Whether django-axes refuses this client for ``username`` now; False without axes."""
    if not apps.is_installed("axes") or not getattr(settings, "AXES_ENABLED", True):
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def lockout_seconds(request: HttpRequest) -> int | None:
    """How long django-axes locks a client out, in seconds (None: until an admin resets)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *,
    seconds: int | None = None,
) -> HttpResponse:
    """429 with Retry-After: ``seconds``, or django-axes' cool-off when not given."""
    if seconds is None:
        seconds = lockout_seconds(request)
    response = render(
        request,
        "httpauth/locked_out.html",
        {"minutes": -(-seconds // 60) if seconds else None},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response

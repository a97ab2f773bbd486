"""The answer while django-axes locks a client out: 429 with Retry-After.

Used by the Basic path and, as AXES_LOCKOUT_CALLABLE, by axes' middleware for the sign-in
form, so both say the same thing the same way. django-axes is optional (check httpauth.W003
says what is lost without it), so it is imported only when a lockout happens.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def lockout_response(request, original_response=None, credentials=None):
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
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

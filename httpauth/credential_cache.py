"""The credential cache: a verified password, remembered so that a polling reader pays the
slow password hash once per HTTPAUTH_CACHE_TTL, not once per poll.

The key is an HMAC, keyed with SECRET_KEY, of the username, the password and the user's
stored password hash: never the password, never a fast hash of it alone, and a password change
(a new stored hash) ends it at once. It only spares work: when the cache fails (Django's
memcached backends raise while a node is down), ``remembered`` answers a miss and the full
check decides. The cache's outage is the cache backend's to report, not every request's.
"""

from __future__ import annotations

import contextlib
import hmac
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import caches
from django.http import HttpRequest

from httpauth import read_ahead
from httpauth.conf import app_settings

KEY_PREFIX = "httpauth.verified."


def key(username: str, password: str, user: AbstractBaseUser) -> str | None:
    """The key remembering that ``password`` is ``user``'s; None with the cache turned off."""
    if not app_settings.CACHE_TTL:
        return None
    message = "\0".join((username, password, user.password)).encode()
    return KEY_PREFIX + hmac.new(settings.SECRET_KEY.encode(), message, sha256).hexdigest()


def remembered(key: str | None, request: HttpRequest | None = None) -> Any:
    """What the credential cache holds under ``key``; None when nothing, when it fails, or
    when the cache is turned off (no key). With ``request``, what httpauth.read_ahead read
    for it, if it did."""
    if key is None:
        return None
    if request is not None:
        return read_ahead.take(request, key, _read)
    return _read(key)


def _read(key: str) -> Any:
    try:
        return caches[app_settings.CACHE_ALIAS].get(key)
    except Exception:  # noqa: BLE001 - whatever the backend raises, a miss
        return None


def remember(key: str | None, value: Any, timeout: int) -> None:
    if key is None:  # the cache is turned off
        return
    with contextlib.suppress(Exception):  # as in remembered
        caches[app_settings.CACHE_ALIAS].set(key, value, timeout)

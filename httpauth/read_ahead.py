"""One memcached round trip for a warm Basic poll.

A request with Basic credentials reads several keys of HTTPAUTH_CACHE_ALIAS: the address
throttle's copy of its client's failures (httpauth.throttle), the credential cache's entry
for the password (httpauth.credential_cache), and whatever the view keeps there that its
decorator names (``read_ahead=``: a feed's rendering). All are known once the user's row is
read, so httpauth.basic reads them together, one ``get_many``, and keeps the answers on the
request; ``take`` hands each one out once, and asks the cache for a key not read ahead or
asked for again (after the request wrote it, say). Nothing outlives the request, and nothing
is shared with another: a key names what it holds, whoever asks.

When the cache fails, every key read ahead is a miss, as each read alone would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest

from httpauth.conf import app_settings

#: Where a request keeps what was read ahead: {key: value}, a miss as None.
ATTRIBUTE = "_httpauth_read_ahead"


def read(request: HttpRequest, keys: Iterable[str | None]) -> None:
    """Read ``keys`` (None: no key) of HTTPAUTH_CACHE_ALIAS in one round trip, for ``take``."""
    wanted = list(dict.fromkeys(key for key in keys if key is not None))
    if not wanted:
        return
    try:
        found = caches[app_settings.CACHE_ALIAS].get_many(wanted)
    except Exception:  # noqa: BLE001 - whatever the backend raises: misses, as one read's
        found = {}
    setattr(request, ATTRIBUTE, {key: found.get(key) for key in wanted})


def take(request: HttpRequest, key: str, otherwise: Callable[[str], Any]) -> Any:
    """What ``key`` held when read ahead for ``request`` (once), else ``otherwise(key)``."""
    ahead = getattr(request, ATTRIBUTE, None)
    if ahead is not None and key in ahead:
        return ahead.pop(key)
    return otherwise(key)

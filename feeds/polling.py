"""Polite polling: every feed answer tells its reader when to come back, and a reader that
does not listen is held to a budget.

The hint: every 200 and 304 of every feed says ``Cache-Control: max-age=FEEDS_POLL_INTERVAL``
(``private`` too for the private feeds), and RSS carries ``<ttl>`` in minutes (the feed,
feeds.syndication). Miniflux, FreshRSS, NetNewsWire and the ``reader`` library schedule
their next poll from it.

The budget, FEEDS_POLL_BUDGET = (burst, per_hour): each credential a reader polls with (an
app password, an account password over Basic, a secret address, or for the public feed
its client address) may fetch ``burst`` full answers per window of ``burst / per_hour``
hours, ``per_hour`` on average. Past it, a small 429 with ``Retry-After`` (seconds to the
window's end, at most the poll interval). An unconditional poll is charged, and refused,
before anything else, with no database query; a conditional one goes on to its 304, which
costs nothing, and is charged only when the feed changed and it gets a full answer. A browser
with a session is never counted.

Counts live in FEEDS_CACHE_ALIAS (the objects cache) under keys that name the credential by
a digest, never the credential: one ``incr`` per full answer. They fail open: a cache that
is down or flushed lets everyone through, as this is politeness, not security (httpauth's
lockout and throttle, in the database, are the security). ``incr`` is atomic, so concurrent
polls of one credential are each counted; the one race, two first polls of a window both
finding no count, is settled by ``add`` (the loser counts again): every ordering is driven in
tests/feeds/test_polling.py.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from feeds.conf import app_settings
from feeds.signals import poll_refused
from httpauth.clients import client_key
from httpauth.models import AppPassword, digest
from httpauth.parser import MalformedCredentials, parse_basic

KEY_PREFIX = "feeds.budget."
#: Where a request keeps the credential the budget counts it under (``Poller``).
POLLER_ATTRIBUTE = "_feeds_poller"
#: Where a request notes that its full answer is already paid for.
CHARGED_ATTRIBUTE = "_feeds_charged"
#: The kinds of credential a budget counts, as Prometheus labels them.
CREDENTIALS = ("app_password", "basic", "secret", "public")


@dataclass(frozen=True)
class Poller:
    """What a poll is counted under: the kind of credential, and a digest naming it."""

    credential: str  # one of CREDENTIALS
    key: str

    @property
    def cache_key(self):
        return f"{KEY_PREFIX}{self.credential}.{self.key}"


def poller_of(request, *, public, secret=None):
    """The credential this poll counts under; None for a browser with a session (exempt)."""
    if secret is not None:
        return Poller("secret", digest(secret))  # as SecretAddress.digest names it
    if request.session.get(SESSION_KEY) is not None:  # without a cookie, nothing is loaded
        return None
    try:
        credentials = parse_basic(request.META.get("HTTP_AUTHORIZATION"))
    except MalformedCredentials:
        credentials = None
    if credentials is not None:
        username, password = credentials
        if password.startswith(AppPassword.PREFIX):
            return Poller("app_password", digest(password))  # as AppPassword.digest names it
        # The user with this password: a guesser's wrong passwords spend a budget of their own.
        return Poller("basic", _name("basic", username, password))
    if public:
        return Poller("public", _name("public", client_key(request)))
    return None  # a private feed without credentials: httpauth answers 401


def _name(*parts):
    """An HMAC keyed with SECRET_KEY: a memcached dump shows no password, nor an address."""
    message = "\0".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_conditional(request):
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def charge(poller, now=None):
    """Count one full answer for ``poller`` (at ``now``, by default the time); return None
    when the budget allows it, else the seconds until it does (for ``Retry-After``). With no
    budget, or no cache, None."""
    budget = app_settings.POLL_BUDGET
    if budget is None:
        return None
    burst, per_hour = budget
    window = burst * 3600 / per_hour
    now = time.time() if now is None else now
    # The window's number names its count: a window may be shorter than a second.
    number = math.floor(now / window)
    started = number * window
    key = f"{poller.cache_key}.{number}"
    try:
        count = _increment(caches[app_settings.CACHE_ALIAS], key, math.ceil(window))
    except Exception:  # noqa: BLE001 - whatever the backend raises: let the poll through
        return None
    if count <= burst:
        return None
    return max(1, min(math.ceil(started + window - now), app_settings.POLL_INTERVAL))


def _increment(cache, key, timeout):
    try:
        return cache.incr(key)
    except ValueError:  # the window's first poll: no count yet
        pass
    if cache.add(key, 1, timeout):
        return 1
    return cache.incr(key)  # another poll added it first: count after it


def too_many_polls(poller, retry_after):
    """The answer past the budget: small, private, and saying when to come back."""
    poll_refused.send(sender=None, credential=poller.credential)
    response = HttpResponse(
        f"Too many polls: come back in {retry_after} seconds.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, max_age=retry_after)
    return response


def with_poll_interval(response):
    """Say when to come back on a feed's 200 or 304."""
    if response.status_code in (200, 304):
        patch_cache_control(response, max_age=app_settings.POLL_INTERVAL)
    return response

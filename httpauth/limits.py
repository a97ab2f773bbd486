"""Counters for per-client limits that no cache flush or restart can reset.

httpauth's address throttle and the site's password reset limit count requests of a client
(httpauth.clients) within a window. Kept in a cache, anyone who may flush it (or a restart of
the objects cluster) would start every client afresh. So each count is a row of
``LimitCounter``: ``count`` adds one in the open window (opening one of ``window`` seconds if
none is), ``current`` reads it. Counting only happens on failures and reset requests; the
Basic path reads a copy in the credential cache on each poll (httpauth.basic).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from httpauth.models import LimitCounter

KEY_LENGTH: int = LimitCounter._meta.get_field("key").max_length or 0


def count(key: str, window: int) -> tuple[int, int]:
    """Add one to ``key``'s count; return ``(count, seconds left in its window)``."""
    key, now = _stored(key), timezone.now()
    opened = LimitCounter.objects.filter(key=key, window_ends__gt=now)
    while True:
        if opened.update(count=F("count") + 1):
            # Read back what was counted. A request whose clock has passed the window's end
            # may have deleted the row in between: then count again, in a new window.
            if (counter := opened.first()) is not None:
                return counter.count, _seconds_left(counter, now)
            continue
        # No window open: forget every window that has ended, this key's included, and
        # open one.
        LimitCounter.objects.filter(window_ends__lte=now).delete()
        try:
            with transaction.atomic():  # a savepoint, should a caller's transaction be open
                counter = LimitCounter.objects.create(
                    key=key, count=1, window_ends=now + timedelta(seconds=window)
                )
        except IntegrityError:  # another request opened it meanwhile: count in it
            continue
        return counter.count, _seconds_left(counter, now)


def current(key: str) -> tuple[int, int | None]:
    """``key``'s count in its open window, and the seconds left in it: ``(0, None)`` when no
    window is open."""
    key, now = _stored(key), timezone.now()
    counter = LimitCounter.objects.filter(key=key, window_ends__gt=now).first()
    if counter is None:
        return 0, None
    return counter.count, _seconds_left(counter, now)


def _seconds_left(counter: LimitCounter, now: datetime) -> int:
    return max(1, int((counter.window_ends - now).total_seconds()))


def _stored(key: str) -> str:
    """The key as the column holds it: readable, or a digest when longer than the column (a
    client key is whatever REMOTE_ADDR holds when that is no IP address)."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256." + hashlib.sha256(key.encode()).hexdigest()

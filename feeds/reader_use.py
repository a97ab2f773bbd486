"""How each reader secret has been polled lately: "96 polls in 24 h, 91 % not modified ·
0 refused", on the app-password and secret-address pages, so that a person can tell a
forgotten credential from a live one, and a busy reader from a broken one.

Every poll with an app password or a secret address (feeds.feed_views.polite) counts in the
objects cache (FEEDS_CACHE_ALIAS), in three counters per secret and hour (polls answered
otherwise: 200, 401...; 304s; 429s, refused past the budget): one ``incr`` per poll, no
database write (the secret's "last used" and "by", in the database, are written at most every
few minutes: httpauth.models.ReaderSecret.note_use). A page reads the last 24 hours of all its
secrets in one ``get_many``. Counts fail open and may be lost to a flush: they describe, they
decide nothing.
"""

import time
from dataclasses import dataclass

from django.core.cache import caches

from feeds.conf import app_settings

KEY_PREFIX = "feeds.use."
HOURS = 24
OTHERWISE, NOT_MODIFIED, REFUSED = "other", "304", "429"  # the counts of an hour
#: The credentials (feeds.polling.Poller) whose polls are counted: those a page describes,
#: each named by the digest its model stores.
SHOWN = ("app_password", "secret")


def _key(secret_digest, hour, field):
    return f"{KEY_PREFIX}{secret_digest}.{hour}.{field}"


def count(secret_digest, status):
    """Count one poll of the secret whose digest this is, answered ``status``."""
    field = {304: NOT_MODIFIED, 429: REFUSED}.get(status, OTHERWISE)
    key = _key(secret_digest, int(time.time() // 3600), field)
    cache = caches[app_settings.CACHE_ALIAS]
    try:
        try:
            cache.incr(key)
        except ValueError:  # the hour's first such poll
            if not cache.add(key, 1, (HOURS + 1) * 3600):
                cache.incr(key)  # another poll added it first
    except Exception:  # noqa: BLE001, S110 - whatever the backend raises: uncounted
        pass


@dataclass(frozen=True)
class Use:
    polls: int = 0
    not_modified: int = 0
    refused: int = 0

    def __str__(self):
        if not self.polls:
            return "no polls in 24 h"
        share = round(100 * self.not_modified / self.polls)
        polls = "1 poll" if self.polls == 1 else f"{self.polls} polls"
        return f"{polls} in 24 h, {share} % not modified · {self.refused} refused"


def use_of(secret_digests):
    """``{digest: Use}`` over the last 24 hours, for every digest given, in one get_many."""
    hour = int(time.time() // 3600)
    fields = (OTHERWISE, NOT_MODIFIED, REFUSED)
    keys = {
        _key(digest, past, field): (digest, field)
        for digest in secret_digests
        for past in range(hour - HOURS + 1, hour + 1)
        for field in fields
    }
    try:
        found = caches[app_settings.CACHE_ALIAS].get_many(list(keys))
    except Exception:  # noqa: BLE001 - whatever the backend raises: nothing to show
        found = {}
    totals = {digest: dict.fromkeys(fields, 0) for digest in secret_digests}
    for key, number in found.items():
        digest, field = keys[key]
        totals[digest][field] += int(number)
    return {
        digest: Use(
            polls=sum(counts.values()),
            not_modified=counts[NOT_MODIFIED],
            refused=counts[REFUSED],
        )
        for digest, counts in totals.items()
    }


def described(reader_secrets):
    """``{pk: "96 polls in 24 h, ..."}`` of app passwords or secret addresses: what
    HTTPAUTH_READER_USE names for the app-password page, and the secret-address page uses."""
    uses = use_of([secret.digest for secret in reader_secrets])
    return {secret.pk: str(uses[secret.digest]) for secret in reader_secrets}

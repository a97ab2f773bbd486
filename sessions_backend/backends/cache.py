"""Sessions kept only in the sessions cluster: Django's cache engine, a round trip lighter.

Django's engine saves with a get, then a set: three round trips for a request that loads and
saves its session, and a race between the get and the set. This one saves with memcached's
``replace`` (store only if present): one atomic round trip, which also refuses to bring back
a session deleted meanwhile by another request. Keys and values are the same as Django's,
so switching between the two engines signs nobody out.

Outages (sessions_backend.outage): a failed load lets the request go on signed out, keeping
the cookie so the session is back once the cluster is; a failed write raises
``SessionStoreUnavailable``, which the middleware answers with a 503 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import cache as django_cache
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.core.cache.backends.base import InvalidCacheKey
from django.utils.crypto import get_random_string

from sessions_backend.backends.base import ClusterSessionMixin
from sessions_backend.outage import SessionStoreUnavailable, report

KEY_PREFIX = django_cache.KEY_PREFIX
# add() is refused only for a key that exists, and with 32 random characters a collision is
# practically impossible: a few attempts, then fail loudly (Django's engine tries 10,000).
CREATE_ATTEMPTS = 10


class SessionStore(ClusterSessionMixin, django_cache.SessionStore):
    cache_key_prefix = KEY_PREFIX

    _load_failed = False  # set by load() when the cluster did not answer

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] | None
        try:
            data = self._cluster.get(self.cache_key)
        except InvalidCacheKey:
            data = None  # a key memcached cannot hold never named a session
        except SessionStoreUnavailable as exc:
            report("load", exc, "this request goes on signed out")
            # Keep the key: the cookie stays, and the session is back with the cluster.
            self._load_failed = True
            return {}
        if data is None:
            self._session_key = None
            return {}
        return data

    def _get_new_session_key(self) -> str:
        # add() refuses a key that exists: asking first would only cost a round trip.
        key: str = get_random_string(32, VALID_KEY_CHARS)
        return key

    async def _aget_new_session_key(self) -> str:
        return self._get_new_session_key()

    def create(self) -> None:
        for _attempt in range(CREATE_ATTEMPTS):
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return
        raise SessionStoreUnavailable(f"add refused {CREATE_ATTEMPTS} new keys in a row")

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        if self._load_failed:
            # Writing now would replace the stored session with the empty one this request saw.
            raise SessionStoreUnavailable("the session could not be loaded")
        data = self._get_session(no_load=must_create)
        if must_create:
            if not self._cluster.add(self.cache_key, data, self.get_expiry_age()):
                raise CreateError
        elif not self._cluster.replace(self.cache_key, data, self.get_expiry_age()):
            raise UpdateError  # deleted, or expired, since it was loaded: do not resurrect

    def exists(self, session_key: str) -> bool:
        if not session_key:
            return False
        try:
            return self._cluster.get(self.cache_key_prefix + session_key) is not None
        except InvalidCacheKey:
            return False

    def existing(self, session_keys: list[str]) -> list[str]:
        """Which of these sessions exist, in one multi-get (a user's session list)."""
        found = self._cluster.get_many([self.cache_key_prefix + key for key in session_keys])
        return [key for key in session_keys if self.cache_key_prefix + key in found]

    def delete(self, session_key: str | None = None) -> None:
        if (session_key := self._key_to_delete(session_key)) is not None:
            self._forget_cached(session_key)

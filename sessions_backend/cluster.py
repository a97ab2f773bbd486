"""The sessions cluster, as the engines and the session lists use it.

Django's cache API has no ``replace`` (store only if the key exists) and no ``gets``/``cas``
(compare and swap). On memcached they make a session save one atomic round trip that cannot
bring back a session deleted meanwhile, and let two sign-ins of one user update its session
list at the same moment without losing an entry. ``MemcachedCluster`` calls the client
behind a Django memcached alias directly (pylibmc or pymemcache, the same contract on both);
``EmulatedCluster`` gives any other cache the same methods under a process-wide lock (atomic
within one process only: check W004).

Every method raises ``SessionStoreUnavailable`` when the cluster cannot be reached, and
Django's ``InvalidCacheKey`` for keys memcached cannot hold (forged cookies), which the
engines read as "no such session". ``MemcachedCluster`` sends ``cluster_accessed`` for each
lookup and failure (sessions_backend.signals), for whatever counts them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache, InvalidCacheKey
from django.core.cache.backends.memcached import BaseMemcachedCache

from sessions_backend.clients import failures
from sessions_backend.outage import SessionStoreUnavailable
from sessions_backend.signals import cluster_accessed

MEMCACHED_SAFE_KEY = re.compile(r"[\x21-\x7e]{1,250}")


def sessions_cluster() -> MemcachedCluster | EmulatedCluster:
    """Return ``CACHES[SESSION_CACHE_ALIAS]`` with the atomic operations sessions need."""
    cache = caches[settings.SESSION_CACHE_ALIAS]
    if isinstance(cache, BaseMemcachedCache):
        return MemcachedCluster(cache)
    return EmulatedCluster(cache)


class MemcachedCluster:
    def __init__(self, cache: BaseMemcachedCache) -> None:
        self.cache = cache
        # Django's own handle on the client (one per thread, as the cache object is): keys,
        # values and expiry stay exactly as Django's cache API stores them.
        self.client = cache._cache  # type: ignore[attr-defined]  # Django's, untyped in the stubs
        self.errors, self.not_found = failures(type(cache))

    def _key(self, key: str) -> str:
        key = self.cache.make_key(key)
        # memcached holds keys of at most 250 bytes without spaces or control characters.
        # Django checks characters, not bytes, so a cookie of 120 "é" passes its check and
        # pylibmc then raises ValueError (a 500 on every page). Session keys are printable
        # ASCII: anything else names no session.
        if not MEMCACHED_SAFE_KEY.fullmatch(key):
            raise InvalidCacheKey(f"memcached cannot hold the key {key[:50]!r}...")
        return key

    def _timeout(self, seconds: int | None) -> float | None:
        return self.cache.get_backend_timeout(seconds)

    def _call(self, operation: str, *args: Any) -> Any:
        try:
            return getattr(self.client, operation)(*args)
        except self.not_found:
            return False  # cas of a key that is not there
        except self.errors as exc:
            cluster_accessed.send(sender=None, result="error", count=1)
            raise SessionStoreUnavailable(f"{operation}: {exc}") from exc

    def _looked_up(self, asked: int, found: int) -> None:
        if found:
            cluster_accessed.send(sender=None, result="hit", count=found)
        if asked > found:
            cluster_accessed.send(sender=None, result="miss", count=asked - found)

    def get(self, key: str) -> Any:
        value = self._call("get", self._key(key))
        self._looked_up(1, int(value is not None))
        return value

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        made = {self._key(key): key for key in keys}
        found = self._call("get_multi", list(made))
        self._looked_up(len(made), len(found))
        return {made[key]: value for key, value in found.items()}

    def set(self, key: str, value: Any, timeout: int | None) -> bool:
        return bool(self._call("set", self._key(key), value, self._timeout(timeout)))

    def add(self, key: str, value: Any, timeout: int | None) -> bool:
        return bool(self._call("add", self._key(key), value, self._timeout(timeout)))

    def replace(self, key: str, value: Any, timeout: int | None) -> bool:
        """Store ``value`` only if the key exists; False when it does not."""
        return bool(self._call("replace", self._key(key), value, self._timeout(timeout)))

    def delete(self, key: str) -> bool:
        return bool(self._call("delete", self._key(key)))

    def gets(self, key: str) -> tuple[Any, Any]:
        """Return ``(value, token)`` for ``cas``; ``(None, None)`` when the key is absent."""
        # Bytes, held here for the call: pylibmc 1.6.3's gets() frees its own UTF-8 copy of
        # a str key before sending it, so under threads it sent another allocation's bytes
        # ("gets " + garbage) and the next command read memcached's ERROR (pylibmc#300).
        held = self._key(key).encode()
        value, token = self._call("gets", held)
        self._looked_up(1, int(value is not None))
        return value, token

    def cas(self, key: str, value: Any, token: Any, timeout: int | None) -> bool:
        """Store ``value`` only if the key still holds what ``gets`` returned with ``token``."""
        return bool(self._call("cas", self._key(key), value, token, self._timeout(timeout)))


class EmulatedCluster:
    """The same methods on any Django cache, read-then-write under one process-wide lock."""

    _lock = threading.Lock()

    def __init__(self, cache: BaseCache) -> None:
        self.cache = cache

    def get(self, key: str) -> Any:
        return self.cache.get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return self.cache.get_many(keys)

    def set(self, key: str, value: Any, timeout: int | None) -> bool:
        self.cache.set(key, value, timeout)
        return True

    def add(self, key: str, value: Any, timeout: int | None) -> bool:
        return bool(self.cache.add(key, value, timeout))

    def replace(self, key: str, value: Any, timeout: int | None) -> bool:
        with self._lock:
            if not self.cache.has_key(key):
                return False
            self.cache.set(key, value, timeout)
            return True

    def delete(self, key: str) -> bool:
        return bool(self.cache.delete(key))

    def gets(self, key: str) -> tuple[Any, Any]:
        value = self.cache.get(key)
        return value, value

    def cas(self, key: str, value: Any, token: Any, timeout: int | None) -> bool:
        with self._lock:
            if token is None or self.cache.get(key) != token:
                return False
            self.cache.set(key, value, timeout)
            return True

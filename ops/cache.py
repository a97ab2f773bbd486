"""The objects cache: Django's memcached backends, degraded to misses while memcached is away.

Django's PyLibMCCache lets ``pylibmc.Error`` (ConnectionError, ServerDown, ...) through, and
PyMemcacheCache pymemcache's errors and socket errors, so while a node is down every page
that touches the cache answers 500. These backends turn a failed call into what a miss would
return and log a rate-limited warning on the ``ops.cache`` logger; the client tries the node
again by itself, so the site recovers without a restart when memcached returns.
``ResilientPyLibMCCache`` and ``ResilientPyMemcacheCache`` are the same policy on the two
clients ``MEMCACHED_CLIENT`` chooses between.

Use it for caches whose content can be recomputed. Not for sessions: a session that cannot
be saved must be reported, not dropped (the sessions cluster has its own policy).

It counts its lookups (hit, miss) and failed calls (error) in ``site_cache_operations_total``
(ops/metrics.py), as the cluster its key prefix names ("objects").
"""

import functools
import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.memcached import BaseMemcachedCache

from ops.metrics import CACHE_OPERATIONS
from sessions_backend.clients import FailFastPyLibMCCache, StrictPyMemcacheCache, client_errors
from sessions_backend.outage import RateLimitedWarning

logger = logging.getLogger(__name__)


# One limiter per cluster and process: Django builds a backend instance per thread.
_warnings_by_cluster: dict[tuple[str, ...], RateLimitedWarning] = {}
_warnings_lock = threading.Lock()


def _warning_for(servers, interval):
    with _warnings_lock:
        return _warnings_by_cluster.setdefault(tuple(servers), RateLimitedWarning(logger, interval))


def _degrades_to(fallback):
    """Run the cache call; when memcached fails, log and return ``fallback(*args, **kwargs)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except self.client_errors as exc:
                self.counted("error")
                self.outage_warning.failure(
                    "objects cache %s: %s failed with %s: %s; answering as a miss",
                    ",".join(self.client_servers),
                    method.__name__,
                    type(exc).__name__,
                    exc,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


_ABSENT = object()  # what get() returns for a key memcached does not hold


def _missing(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _no_keys(*args, **kwargs):
    return {}


def _all_keys_failed(data, *args, **kwargs):
    return list(data)


def _nothing(*args, **kwargs):
    return None


def _not_found(key, *args, **kwargs):
    # What Django's memcached backends raise for incr()/decr() of a missing key.
    raise ValueError(f"Key '{key}' not found")


class Resilient(BaseMemcachedCache):
    """A memcached backend whose calls answer like misses while the cluster is unreachable.

    ``get`` returns the default, ``get_many`` ``{}``, ``set``/``add``/``delete``/``touch``
    ``False``, ``set_many`` every key as failed, ``incr``/``decr`` raise ``ValueError`` as
    for a missing key. Everything else in Django's cache API (``get_or_set``, ``has_key``,
    the async twins) is built on these and so inherits the policy.
    """

    #: Seconds between two outage warnings of one cluster in one process.
    WARNING_INTERVAL = 60

    @functools.cached_property
    def client_errors(self):
        return client_errors(self)

    @functools.cached_property
    def outage_warning(self):
        return _warning_for(self.client_servers, self.WARNING_INTERVAL)

    @functools.cached_property
    def cluster(self):
        return self.key_prefix or "objects"

    def counted(self, result, count=1):
        if count:
            CACHE_OPERATIONS.labels(self.cluster, result).inc(count)

    @_degrades_to(_default)
    def get(self, key, default=None, version=None):
        value = super().get(key, _ABSENT, version)
        if value is _ABSENT:
            self.counted("miss")
            return default
        self.counted("hit")
        return value

    @_degrades_to(_no_keys)
    def get_many(self, keys, version=None):
        keys = list(keys)  # read twice: once by memcached, once to count
        found = super().get_many(keys, version)
        self.counted("hit", len(found))
        self.counted("miss", len(set(keys)) - len(found))
        return found

    @_degrades_to(_missing)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrades_to(_missing)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrades_to(_missing)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrades_to(_missing)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrades_to(_all_keys_failed)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrades_to(_nothing)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrades_to(_not_found)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrades_to(_nothing)
    def clear(self):
        return super().clear()


class ResilientPyLibMCCache(Resilient, FailFastPyLibMCCache):
    """pylibmc (libmemcached, skipping a node that stalls), failures answered as misses."""


class ResilientPyMemcacheCache(Resilient, StrictPyMemcacheCache):
    """pymemcache (sessions_backend.clients' strict HashClient), failures answered as misses."""

"""The two memcached clients sessions run on, and how each fails.

Django has a backend for each: ``PyLibMCCache`` (pylibmc, C, on libmemcached) and
``PyMemcacheCache`` (pymemcache, pure Python). ``failures`` says what each raises when a node
fails, for ``MemcachedCluster`` (and the objects cache, ops.cache) to turn into their outage
rules.

pymemcache's ``HashClient`` handles failures its own way, which sessions cannot live with: for
``retry_timeout`` seconds after a node fails it answers that node's keys with defaults (a
miss, a write refused, nothing raised), then removes the node and its keys move to the
others; when the node returns, its stale copies can bring ended sessions back.
``StrictHashClient`` raises every failure and never moves a key, as pylibmc does without
``remove_failed``; ``StrictPyMemcacheCache`` is Django's backend on it (check W007 names the
stock one). ``OPTIONS["hasher"]`` may be a dotted path, so settings need import nothing.

Both clients skip a node that stalls (sessions_backend.nodes): ``StrictHashClient`` itself,
and pylibmc through ``FailFastPyLibMCCache``, whose client finds a key's node on
libmemcached's ring (sessions_backend.ring) only when it needs to: while a node is skipped,
or when a call failed.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, cast

from django.core.cache.backends.memcached import (
    BaseMemcachedCache,
    PyLibMCCache,
    PyMemcacheCache,
)
from django.utils.module_loading import import_string
from pymemcache.client.hash import HashClient
from pymemcache.exceptions import MemcacheUnexpectedCloseError

from sessions_backend.nodes import LATE_SECONDS, NODES, NodeSkipped
from sessions_backend.ring import LibmemcachedKetama

Errors = tuple[type[BaseException], ...]


_failures: dict[type, tuple[Errors, Errors]] = {}


def failures(backend: type) -> tuple[Errors, Errors]:
    """What the client behind a Django memcached backend raises when a node fails, and when
    a cas finds no key (pylibmc's NotFound; pymemcache returns None instead)."""
    if backend not in _failures:
        _failures[backend] = _failures_of(backend)
    return _failures[backend]


def _failures_of(backend: type) -> tuple[Errors, Errors]:
    if issubclass(backend, PyLibMCCache):
        import pylibmc  # imported where used: a site on pymemcache need not install pylibmc

        return (pylibmc.Error, NodeSkipped), (pylibmc.NotFound,)
    from pymemcache.exceptions import MemcacheError

    # Refused and reset connections and timeouts are OSErrors; pymemcache's own, such as
    # an unexpected close or a server error, are MemcacheErrors.
    return (MemcacheError, OSError), ()


def client_errors(cache: BaseMemcachedCache) -> Errors:
    """What the client behind a Django memcached backend raises when a node fails."""
    return failures(type(cache))[0]


#: pymemcache's failures of a node itself: timeouts, refused and broken connections.
PYMEMCACHE_NODE_FAILURES = (OSError, MemcacheUnexpectedCloseError)


class StrictHashClient(HashClient):  # type: ignore[misc]  # pymemcache is untyped
    """pymemcache's HashClient, each failure raised, each key kept on its node, and a node
    that stalls skipped (sessions_backend.nodes)."""

    def __init__(self, servers: Any, **options: Any) -> None:
        # OPTIONS["hasher"] may be a dotted path: imported as the client is made, not as the
        # cache is, so that `check` names one that cannot be (sessions_backend.E006) instead
        # of failing in Django's own cache checks.
        if isinstance(hasher := options.get("hasher"), str):
            options["hasher"] = import_string(hasher)
        super().__init__(servers, **options)

    def add_server(self, server: Any, port: Any = None) -> None:
        super().add_server(server, port)
        for node, client in self.clients.items():
            client.node = node  # the name the ring and NODES know it by

    def _get_client(self, key: Any) -> Any:
        client = super()._get_client(key)
        if NODES.skipped:
            NODES.check(client.node)
        return client

    def _safely_run_func(
        self, client: Any, func: Any, default_val: Any, *args: Any, **kwargs: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except PYMEMCACHE_NODE_FAILURES as exc:
            NODES.failed(client.node, exc)
            raise
        NODES.answered(client.node, time.perf_counter() - started)
        return result

    def _safely_run_set_many(self, client: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        # HashClient's _set_many returns the error it met instead of raising it.
        _succeeded, failed, error = self._set_many(client, values, *args, **kwargs)
        if error is None:
            NODES.answered(client.node, time.perf_counter() - started)
            return failed
        if isinstance(error, PYMEMCACHE_NODE_FAILURES):
            NODES.failed(client.node, error)
        raise error


class StrictPyMemcacheCache(PyMemcacheCache):
    """Django's PyMemcacheCache on ``StrictHashClient``."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = StrictHashClient

    def close(self, **kwargs: Any) -> None:
        if "_cache" in self.__dict__:  # a client never made has nothing to close
            super().close(**kwargs)


class FailFastPyLibMCCache(PyLibMCCache):
    """Django's PyLibMCCache on a pylibmc client that skips a node that stalls."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = fail_fast_pylibmc_client()


@functools.cache
def fail_fast_pylibmc_client() -> type:
    """pylibmc.Client, each call checked against NODES and feeding it; made on first use, so
    that a site on pymemcache need not install pylibmc."""
    import pylibmc

    # Answers about data, not failures of the node: a missing key, a value too big, a node
    # out of memory refusing a write (its reads still work).
    answers = (pylibmc.NotFound, pylibmc.DataExists, pylibmc.TooBig, pylibmc.ServerError)

    class FailFastClient(pylibmc.Client):  # type: ignore[misc]  # pylibmc is untyped
        @functools.cached_property
        def ring(self) -> LibmemcachedKetama:
            ring = LibmemcachedKetama()
            for address in self.addresses:
                ring.add_node(address)
            return ring

        def _node(self, key: Any) -> str:
            return cast(str, self.ring.get_node(key))  # a client has one node at least

        def _one(self, call: Callable[..., Any], key: Any, *args: Any, **kwargs: Any) -> Any:
            if NODES.skipped:
                NODES.check(self._node(key))
            started = time.perf_counter()
            try:
                result = call(key, *args, **kwargs)
            except answers:
                raise
            except pylibmc.Error as exc:
                NODES.failed(self._node(key), exc)
                raise
            seconds = time.perf_counter() - started
            if seconds >= LATE_SECONDS or NODES.late:  # else nothing to note
                NODES.answered(self._node(key), seconds)
            return result

        def _many(self, call: Callable[..., Any], keys: Any, *args: Any, **kwargs: Any) -> Any:
            # ``keys``: Django's key views, lists and dicts (set_multi), each read twice.
            if NODES.skipped:
                for key in keys:
                    NODES.check(self._node(key))
            try:
                return call(keys, *args, **kwargs)
            except answers:
                raise
            except pylibmc.Error as exc:
                # libmemcached does not say which node failed: only when the keys all live
                # on one is it known (the next single-key call finds it otherwise).
                if len(touched := {self._node(key) for key in keys}) == 1:
                    NODES.failed(touched.pop(), exc)
                raise

        def get(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().get, key, *args, **kwargs)

        def gets(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().gets, key, *args, **kwargs)

        def set(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().set, key, *args, **kwargs)

        def add(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().add, key, *args, **kwargs)

        def replace(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().replace, key, *args, **kwargs)

        def cas(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().cas, key, *args, **kwargs)

        def delete(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().delete, key, *args, **kwargs)

        def incr(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().incr, key, *args, **kwargs)

        def decr(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().decr, key, *args, **kwargs)

        def touch(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._one(super().touch, key, *args, **kwargs)

        def get_multi(self, keys, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._many(super().get_multi, keys, *args, **kwargs)

        def set_multi(self, mapping, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._many(super().set_multi, mapping, *args, **kwargs)

        def delete_multi(self, keys, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self._many(super().delete_multi, keys, *args, **kwargs)

    return FailFastClient

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
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.memcached import (
    BaseMemcachedCache,
    PyLibMCCache,
    PyMemcacheCache,
)
from django.utils.module_loading import import_string
from pymemcache.client.hash import HashClient

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

        return (pylibmc.Error,), (pylibmc.NotFound,)
    from pymemcache.exceptions import MemcacheError

    # Refused and reset connections and timeouts are OSErrors; pymemcache's own, such as
    # an unexpected close or a server error, are MemcacheErrors.
    return (MemcacheError, OSError), ()


def client_errors(cache: BaseMemcachedCache) -> Errors:
    """What the client behind a Django memcached backend raises when a node fails."""
    return failures(type(cache))[0]


class StrictHashClient(HashClient):  # type: ignore[misc]  # pymemcache is untyped
    """pymemcache's HashClient, each failure raised and each key kept on its node."""

    def _safely_run_func(
        self, client: Any, func: Any, default_val: Any, *args: Any, **kwargs: Any
    ) -> Any:
        return func(*args, **kwargs)

    def _safely_run_set_many(self, client: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        _succeeded, failed, error = self._set_many(client, values, *args, **kwargs)
        if error is not None:
            raise error
        return failed


class StrictPyMemcacheCache(PyMemcacheCache):
    """Django's PyMemcacheCache on ``StrictHashClient``."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = StrictHashClient
        options = self._options  # type: ignore[attr-defined]  # Django's, untyped in the stubs
        if isinstance(hasher := options.get("hasher"), str):
            options["hasher"] = import_string(hasher)

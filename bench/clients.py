"""memcached clients side by side, on the same memcached, through Django's cache API: the
sessions cluster's backend under each MEMCACHED_CLIENT (pylibmc, C: Django's PyLibMCCache;
pymemcache, pure Python, on libmemcached's ring: sessions_backend.clients.StrictPyMemcacheCache),
with the site's options for each, and Django's stock PyMemcacheCache (rendezvous hashing) beside
them, to show what the ring costs.

Run by ``make bench`` (``--json``) or alone. Median microseconds per operation, over rounds
that alternate between the clients.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.daemons import Memcached
from tests.support.site_settings import site_settings

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 9))
OPERATIONS = int(os.environ.get("BENCH_OPERATIONS", 2000))
VALUE = {"_auth_user_id": "42", "items": list(range(20)), "text": "x" * 200}


def clients(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-secret-key-0123456789abcdefghijklmnop")
    import django
    from django.core.cache.backends.memcached import PyMemcacheCache
    from django.utils.module_loading import import_string

    django.setup()
    measured = {}
    for client in ("pylibmc", "pymemcache"):
        config = site_settings(MEMCACHED_CLIENT=client).CACHES["sessions"]  # what the site uses
        backend = import_string(config["BACKEND"])
        measured[f"{client} ({backend.__name__})"] = backend(
            [server], {"OPTIONS": config["OPTIONS"]}
        )
    measured["pymemcache, stock (PyMemcacheCache)"] = PyMemcacheCache(
        [server], {"OPTIONS": {"no_delay": True}}
    )
    return measured


def operations(cache):
    keys = [f"key-{n}" for n in range(20)]
    cache.set_many(dict.fromkeys(keys, VALUE), 300)
    return {
        "get": lambda: cache.get("key-0"),
        "set": lambda: cache.set("key-0", VALUE, 300),
        "get_many (20 keys)": lambda: cache.get_many(keys),
    }


def measure(caches):
    """Median µs per operation over rounds that alternate between the clients."""
    timings = {}
    for _round in range(ROUNDS):
        for client, cache in caches.items():
            for operation, call in operations(cache).items():
                started = time.perf_counter()
                for _ in range(OPERATIONS):
                    call()
                micros = (time.perf_counter() - started) / OPERATIONS * 1e6
                timings.setdefault((client, operation), []).append(micros)
    return {key: statistics.median(values) for key, values in timings.items()}


def main():
    daemon = Memcached(memory_mb=64).start()
    try:
        medians = measure(clients(daemon.address))
    finally:
        daemon.stop()
    results = {}
    for (client, operation), micros in medians.items():
        results.setdefault(client, {})[operation] = micros
    if "--json" in sys.argv:
        print(json.dumps(results))
        return
    operations_names = list(next(iter(results.values())))
    print(f"\n{'client':<38} " + " ".join(f"{name:>20}" for name in operations_names))
    for client, figures in results.items():
        print(f"{client:<38} " + " ".join(f"{figures[name]:>18.1f}µs" for name in operations_names))


if __name__ == "__main__":
    main()

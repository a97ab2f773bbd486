"""What operations cost a request: ``make bench-operations``.

1. A counter increment and a histogram observation in prometheus_client's multiprocess mode,
   as gunicorn's workers make them (each writes to a memory-mapped file), in microseconds.
2. End to end: two gunicorn sites side by side on the same memcached daemons, one as
   deployed with LOG_FORMAT=json (request ids, metrics middleware, JSON access lines), the
   other without the request-id and metrics middleware and with plain logs
   (bench/without_operations.py). Their requests are interleaved so that the machine's slow
   and fast spells fall on both; prints the p50 of the home page and the public feed, and
   the goal: with operations, at most GOAL times the p50 without.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from served import BASE_DIR, bench_site, fill_feeds

from tests.support.daemons import Memcached

ROUNDS = 20
REQUESTS = 10  # per line, site and round
GOAL = 1.10

MICRO = """
import os, timeit
from prometheus_client import Counter, Histogram
counter = Counter("bench_operations", "x", ["cluster", "result"])
histogram = Histogram("bench_duration_seconds", "x", ["view"])
n = 100_000
inc = timeit.timeit(lambda: counter.labels("objects", "hit").inc(), number=n) / n * 1e6
observe = timeit.timeit(lambda: histogram.labels("home").observe(0.004), number=n) / n * 1e6
print(f"{inc:.2f} {observe:.2f}")
"""


def micro():
    """Microseconds per counter increment and histogram observation, multiprocess mode."""
    with tempfile.TemporaryDirectory() as directory:
        result = subprocess.run(  # noqa: S603 - our own snippet
            [sys.executable, "-c", MICRO],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": directory},
            capture_output=True,
            text=True,
            check=True,
        )
    return [float(figure) for figure in result.stdout.split()]


def timed(session, url):
    started = time.perf_counter()
    response = session.get(url, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main():
    inc, observe = micro()
    print(f"multiprocess mode: counter inc {inc:.2f} µs, histogram observe {observe:.2f} µs")
    daemons = Memcached(memory_mb=64).start(), Memcached(memory_mb=64).start()
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            bench_site(Path(tmp) / "with", daemons, LOG_FORMAT="json") as (with_ops, _),
            bench_site(
                Path(tmp) / "without",
                daemons,
                LOG_FORMAT="plain",
                DJANGO_SETTINGS_MODULE="bench.without_operations",
            ) as (without_ops, _),
        ):
            fill_feeds(with_ops)
            fill_feeds(without_ops)
            assert "X-Request-ID" in requests.get(with_ops.url, timeout=10).headers
            assert "X-Request-ID" not in requests.get(without_ops.url, timeout=10).headers
            sites = {"with operations": with_ops, "without": without_ops}
            paths = {"home page (/)": "/", "public feed": "/feeds/latest.rss"}
            sessions = {name: requests.Session() for name in sites}
            timings = {(path, name): [] for path in paths for name in sites}
            print("measuring...", file=sys.stderr)
            for _round in range(ROUNDS):
                for path_name, path in paths.items():
                    for name, site in sites.items():
                        timings[path_name, name] += [
                            timed(sessions[name], site.url + path) for _ in range(REQUESTS)
                        ]
    finally:
        for daemon in daemons:
            daemon.stop()
    print(f"\n{'p50 ms':<16} {'with operations':>16} {'without':>10} {'ratio':>7}")
    worst = 0
    for path_name in paths:
        with_ms = statistics.median(timings[path_name, "with operations"])
        without_ms = statistics.median(timings[path_name, "without"])
        worst = max(worst, with_ms / without_ms)
        print(f"{path_name:<16} {with_ms:>16.2f} {without_ms:>10.2f} {with_ms / without_ms:>7.2f}")
    verdict = "met   " if worst <= GOAL else "MISSED"
    print(f"\n{verdict}  with operations <= {GOAL}x the p50 without: {worst:.2f}x at worst")


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()

"""Session engines side by side: the cost of one request that loads and saves its session.

Run with ``make bench-sessions`` (``--json`` for bench/report.py). Starts its own memcached on
a free loopback port and an SQLite database in a temporary directory (or uses DATABASE_URL),
so every engine meets the same servers in the same run; rounds alternate between engines so
that the machine's noise falls on all of them.
Prints the median microseconds per request, and each engine's ratios to Django's cache engine
and to the floor, taken round by round (paired) so that the machine's noise cancels out.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.support.daemons import Memcached  # noqa: E402 - needs the path above

# Many short rounds, every engine in each: the machine's slow and fast spells then fall on
# all engines alike, and ratios are taken within a round (paired), then their median.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 41))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 100))
# What a signed-in session typically holds.
SESSION_DATA = {
    "_auth_user_id": "42",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "_sessions_backend_seen": 1_795_000_000,
}
ENGINES = {
    "sessions_backend cache": "sessions_backend.backends.cache",
    "sessions_backend cached_db": "sessions_backend.backends.cached_db",
    "Django cache": "django.contrib.sessions.backends.cache",
    "Django cached_db": "django.contrib.sessions.backends.cached_db",
    "Django db": "django.contrib.sessions.backends.db",
    "Django signed_cookies": "django.contrib.sessions.backends.signed_cookies",
}
#: The client the settings run on (MEMCACHED_CLIENT), whose own get and replace are the floor.
CLIENT = os.environ.get("MEMCACHED_CLIENT", "pylibmc")
FLOOR = f"raw {CLIENT} get+replace"
# More engines to time in the same run, as "name=module,name=module" (modules on PYTHONPATH):
# a change's before and after side by side (docs/benchmarks.md, "Before and after").
EXTRA_ENGINES = dict(
    entry.split("=", 1) for entry in os.environ.get("BENCH_ENGINES", "").split(",") if entry
)


def configure(memcached, tmp):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "DJANGO_SECRET_KEY": "benchmark-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DJANGO_HTTPS": "false",
            "MEMCACHED_OBJECTS": memcached.address,
            "MEMCACHED_SESSIONS": memcached.address,
        }
    )
    # The database engines run on DATABASE_URL when it is set (PostgreSQL, say), else SQLite.
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def engine_request(store_class):
    """Return (setup, one_request) for an engine: a signed-in session, loaded and saved."""
    from django.contrib.sessions.backends.signed_cookies import SessionStore as Cookies

    first = store_class()
    first.update(SESSION_DATA)
    first.save()
    state = {"key": first.session_key, "n": 0}

    def one_request():
        session = store_class(state["key"])
        state["n"] += 1
        session["counter"] = state["n"]  # loads, then changes: the middleware saves
        session.save()
        if store_class is Cookies:  # the cookie is the session: the next request sends it
            state["key"] = session.session_key

    return one_request


def floor_request():
    """The client's own get and replace, on a plain client with the sessions cluster's servers
    and options (pylibmc.Client, or pymemcache's HashClient on the same ring; not the site's
    fail-fast clients): nothing else."""
    from django.conf import settings
    from django.core.cache import caches

    cache = caches["sessions"]
    options = settings.CACHES["sessions"]["OPTIONS"]
    if CLIENT == "pylibmc":
        import pylibmc

        client = pylibmc.Client(cache.client_servers, **options)
    else:
        from pymemcache import serde
        from pymemcache.client.hash import HashClient

        from sessions_backend.ring import LibmemcachedKetama

        plain = {**options, "hasher": LibmemcachedKetama, "serde": serde.pickle_serde}
        client = HashClient(cache.client_servers, default_noreply=False, **plain)
    key = cache.make_key("bench-floor")
    client.set(key, SESSION_DATA, 1209600)
    state = {"n": 0}

    def one_request():
        data = client.get(key)
        state["n"] += 1
        data["counter"] = state["n"]
        client.replace(key, data, 1209600)

    return one_request


#: Our engines, whose database writes per sign-in are counted (``writes_per_sign_in``).
OURS = ("sessions_backend cache", "sessions_backend cached_db")
WRITES = ("INSERT", "UPDATE", "DELETE")
STEPS = ("sign-in", "a page", "sign-out")


def writes_per_sign_in():
    """``{engine: {step: database writes}}``: a sign-in through the site's form, a page that
    leaves the session as it is, and a sign-out, each with the site's whole stack (django-axes,
    the session lists), counted as the statements that write."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    password = "bench-password-0123456789"
    get_user_model().objects.create_user("bench-user", password=password)
    found = {}
    for name in OURS:
        with override_settings(SESSION_ENGINE=ENGINES[name], ALLOWED_HOSTS=["testserver"]):
            browser, counts = Client(), {}
            browser.get("/accounts/login/")
            steps = {
                "sign-in": lambda b=browser: b.post(
                    "/accounts/login/", {"username": "bench-user", "password": password}
                ),
                "a page": lambda b=browser: b.get("/account/"),
                "sign-out": lambda b=browser: b.post("/accounts/logout/"),
            }
            for step, request in steps.items():
                with CaptureQueriesContext(connection) as queries:
                    request()
                counts[step] = sum(q["sql"].lstrip().upper().startswith(WRITES) for q in queries)
            found[name] = counts
    return found


def measure(requests):
    """Return ``{engine: [µs per request in each round]}``."""
    timings = {name: [] for name in requests}
    order = list(requests)
    for round_number in range(ROUNDS):
        order = order[1:] + order[:1]  # each engine takes its turn first
        for name in order:
            one_request = requests[name]
            for _ in range(REQUESTS // 10):  # warm up connections and code paths
                one_request()
            started = time.perf_counter()
            for _ in range(REQUESTS):
                one_request()
            timings[name].append((time.perf_counter() - started) / REQUESTS * 1e6)
        if (round_number + 1) % 10 == 0:
            print(f"  round {round_number + 1}/{ROUNDS}", file=sys.stderr)
    return timings


def summarise(timings, database):
    """Median µs per engine, and each engine's median ratio to Django's cache engine and to
    the floor, the ratios taken round by round."""

    def paired(name, reference):
        return statistics.median(
            ours / theirs for ours, theirs in zip(timings[name], timings[reference], strict=True)
        )

    return {
        "database": database,
        "client": CLIENT,
        "floor": FLOOR,
        "median_us": {name: statistics.median(values) for name, values in timings.items()},
        "x_django_cache": {name: paired(name, "Django cache") for name in timings},
        "x_floor": {name: paired(name, FLOOR) for name in timings},
    }


def main():
    with tempfile.TemporaryDirectory() as tmp:
        memcached = Memcached(memory_mb=64).start()
        try:
            configure(memcached, tmp)
            requests = {
                name: engine_request(import_module(path).SessionStore)
                for name, path in {**ENGINES, **EXTRA_ENGINES}.items()
            }
            requests[FLOOR] = floor_request()
            print(f"{ROUNDS} rounds of {REQUESTS} requests per engine", file=sys.stderr)
            timings = measure(requests)
            from django.db import connection

            results = summarise(timings, connection.vendor)
            results["writes"] = writes_per_sign_in()
        finally:
            memcached.stop()
    if "--json" in sys.argv:
        print(json.dumps(results))
    else:
        report(results)


def report(results):
    print(f"\nDatabase: {results['database']}")
    print(f"{'engine':<28} {'median µs':>10} {'x Django cache':>15} {'x floor':>8}")
    for name, micros in results["median_us"].items():
        print(
            f"{name:<28} {micros:>10.1f} {results['x_django_cache'][name]:>15.2f} "
            f"{results['x_floor'][name]:>8.2f}"
        )
    print(f"\n{'database writes':<28} " + " ".join(f"{step:>9}" for step in STEPS))
    for name, counts in results["writes"].items():
        print(f"{name:<28} " + " ".join(f"{counts[step]:>9}" for step in STEPS))
    goals = [
        (
            "cache engine <= 0.75 x Django cache",
            results["x_django_cache"]["sessions_backend cache"],
            0.75,
        ),
        ("cache engine <= 1.25 x raw floor", results["x_floor"]["sessions_backend cache"], 1.25),
        (
            "cached_db <= 1.0 x Django cached_db",
            results["median_us"]["sessions_backend cached_db"]
            / results["median_us"]["Django cached_db"],
            1.0,
        ),
    ]
    print()
    for goal, ratio, limit in goals:
        print(f"{'met   ' if ratio <= limit else 'MISSED'}  {goal}: {ratio:.2f}")


if __name__ == "__main__":
    main()

"""The site under gunicorn for benchmarks: the deployed configuration on loopback, with its
own memcached daemons, a temporary SQLite database and the demo data."""

import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.support.daemons import Gunicorn, Memcached  # noqa: E402 - needs the path above

DEMO_PASSWORD = "benchmark-demo-password"
# Load generators poll one feed thousands of times a minute: the poll budget (feeds.polling)
# stays on, so that every poll pays for its count, but this one never refuses.
COUNTED_NEVER_REFUSED = "1000000000,1000000000"


@contextlib.contextmanager
def bench_site(directory, daemons=None, workers=2, tree=BASE_DIR, **env):
    """Yield ``(site, (objects, sessions))``: gunicorn serving the project in ``tree`` (this
    checkout by default) with its data in ``directory``, on memcached daemons of its own
    unless ``daemons`` are given."""
    directory.mkdir(parents=True, exist_ok=True)
    own = daemons is None
    objects, sessions = daemons or (
        Memcached(memory_mb=64).start(),
        Memcached(memory_mb=64).start(),
    )
    server = Gunicorn(
        env={
            "DJANGO_SECRET_KEY": "benchmark-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DJANGO_HTTPS": "false",
            "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3",
            "MEMCACHED_OBJECTS": objects.address,
            "MEMCACHED_SESSIONS": sessions.address,
            "WEB_CONCURRENCY": str(workers),
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "DJANGO_FEEDS_POLL_BUDGET": COUNTED_NEVER_REFUSED,
            **env,
        },
        log_path=directory / "gunicorn.log",
        tree=tree,
    )
    try:
        server.manage("migrate", "--noinput")
        server.manage("collectstatic", "--noinput")
        server.manage("seed_demo")
        server.start()
        server.objects = objects
        yield server, (objects, sessions)
    finally:
        server.stop()
        if own:
            objects.stop()
            sessions.stop()


@contextlib.contextmanager
def served_site(workers=2, **env):
    """The site on its own daemons and a temporary database."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_site(Path(tmp), workers=workers, **env) as (site, _),
    ):
        yield site


def signed_in(site, username="alice"):
    """A requests session signed in through the form, as a browser would be."""
    browser, response = site.sign_in(username, DEMO_PASSWORD)
    response.raise_for_status()
    return browser


# Enough public and members entries that the public and members feeds are full
# (FEEDS_MAX_ITEMS, 50 by default).
ADD_FEED_ENTRIES = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from feeds.models import Entry
alice = get_user_model().objects.get(username="alice")
now = timezone.now()
for n in range(60):
    for visibility in ("public", "members"):
        Entry.objects.create(
            title=f"Benchmark entry {n}", slug=f"bench-{visibility}-{n}", author=alice,
            visibility=visibility,
            body="A paragraph with **Markdown** and [a link](/feeds/).\\n\\n" * 5,
            published_at=now - timedelta(minutes=n),
        )
"""


def fill_feeds(site):
    site.manage("shell", "--no-imports", "-c", ADD_FEED_ENTRIES)


def app_password(browser, site, name="benchmark"):
    page = browser.post(
        f"{site.url}/account/app-passwords/",
        data={"name": name, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=10,
    ).text
    start = page.index('id="new-app-password">') + len('id="new-app-password">')
    return page[start : page.index("</code>", start)]


def p50_ms(request, times, before_each=None):
    """Median wall time of ``request()`` in milliseconds, over ``times`` calls."""
    timings = []
    for _ in range(times):
        if before_each:
            before_each()
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)

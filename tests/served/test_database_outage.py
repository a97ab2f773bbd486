"""PostgreSQL stopped under gunicorn: pages that need it answer 503 with Retry-After, never a
500; the readiness probe answers 503 naming it; and the site recovers by itself once it is
back (project/errors.py)."""

import pytest
import requests

from tests.support.daemons import Gunicorn, PostgreSQL
from tests.support.manifests import readiness_path
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path, memcached_objects, memcached_sessions):
    postgres = PostgreSQL().start()
    server = Gunicorn(
        env={
            "DJANGO_SECRET_KEY": "database-outage-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DJANGO_DEBUG": "false",
            "DJANGO_HTTPS": "false",
            "DATABASE_URL": postgres.url,
            "MEMCACHED_OBJECTS": memcached_objects.address,
            "MEMCACHED_SESSIONS": memcached_sessions.address,
            "DEMO_PASSWORD": "demo-password-for-the-outage",
            "WEB_CONCURRENCY": "2",
        },
        log_path=tmp_path / "gunicorn.log",
    )
    server.manage("migrate", "--noinput")
    server.manage("seed_demo")
    server.start()
    server.postgres = postgres
    yield server
    server.stop()
    postgres.stop()


def get(site, path):
    return requests.get(f"{site.url}{path}", timeout=10, allow_redirects=False)


def test_a_database_outage_is_a_503_with_retry_after_and_heals_by_itself(site):
    probe = readiness_path()  # the Kubernetes manifests' (the replicas leave the Service)
    assert get(site, "/entries/").status_code == 200
    site.postgres.pause()
    try:
        for path in ("/entries/", "/entries/demo-why-sessions-get-their-own-memcached/"):
            response = get(site, path)
            assert response.status_code == 503, (path, response.status_code)
            assert response.headers["Retry-After"] == "10"
            assert "no-store" in response.headers["Cache-Control"]
            assert "<h1>Temporarily unavailable</h1>" in response.text
        # Each process answers /readyz from its last probe for a second (ops/health.py).
        ready = wait_for(lambda: get(site, probe), lambda r: r.status_code == 503)
        assert ready.json()["status"] == "unavailable"
        assert ready.json()["down"] == ["database default"]
        assert get(site, "/healthz").status_code == 200  # the process itself is fine
        assert get(site, "/").status_code == 200  # the home page needs no database
    finally:
        site.postgres.resume()
    wait_for(lambda: get(site, "/entries/").status_code == 200, what="/entries/ answering 200")
    wait_for(lambda: get(site, probe).status_code == 200, what="readyz recovering")
    assert "Internal Server Error" not in site.log()

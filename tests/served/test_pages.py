"""The site's pages as gunicorn serves them: home, admin and feed pages with their security
headers, hashed static files through whitenoise, and the probes."""

import re
import time

import pytest

from ops.health import READY_CACHE_SECONDS, READY_SECONDS
from tests.support.daemons import TricklingNode
from tests.support.sites import get, raw_get, start_site

pytestmark = pytest.mark.slow


def test_serves_home_admin_and_feeds_pages(site):
    home = get(site, "/")
    assert home.status_code == 200
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Django on two memcached clusters</h1>" in home.text
    admin = get(site, "/admin/login/")
    assert admin.status_code == 200
    assert 'name="username"' in admin.text
    feeds = get(site, "/feeds/")
    assert feeds.status_code == 200
    assert "<h1>Feeds</h1>" in feeds.text


def test_pages_and_feeds_carry_their_security_headers(site):
    page, feed = get(site, "/entries/"), get(site, "/feeds/latest.atom")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert feed.headers["Content-Security-Policy"] == "default-src 'none'"


def test_whitenoise_serves_hashed_static_files_compressed_and_immutable(site):
    stylesheet = re.search(r'href="(/static/site\.[0-9a-f]{12}\.css)"', get(site, "/").text)
    response = get(site, stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert ":root" in response.text


def test_health_endpoints_name_both_clusters(site, site_objects, site_sessions):
    health = get(site, "/healthz")
    assert (health.status_code, health.text) == (200, "ok")
    ready = get(site, "/readyz")
    assert ready.status_code == 200
    assert ready.json()["caches"] == {
        "default": {"cluster": "objects", "nodes": {site_objects.address: "up"}},
        "sessions": {"cluster": "sessions", "nodes": {site_sessions.address: "up"}},
    }


SPELLED = [
    ("/%6detrics", "/metrics"),
    ("/%6Detrics", "/metrics"),
    ("/me%74rics", "/metrics"),
    ("/%72eadyz", "/readyz"),
    ("/%68ealthz", "/healthz"),
]


@pytest.mark.parametrize(("spelled", "path"), SPELLED)
def test_the_probes_and_metrics_are_answered_at_their_exact_path_only(site, spelled, path):
    """SECURITY.md, third review, #5: an edge that keeps out /metrics by its raw
    path let /%6detrics through, and the site answered it as /metrics."""
    assert raw_get(site, path) == 200
    assert raw_get(site, spelled) == 404  # an ordinary request for a page that is not there


def test_readyz_answers_within_a_second_whatever_the_nodes_do(
    tmp_path, site_objects, site_sessions, collected_static
):
    node = TricklingNode().start()  # answers a byte every 0.2 s, never the end
    server = start_site(tmp_path, [site_objects, node], site_sessions, WEB_CONCURRENCY="1")
    try:
        get(server, "/readyz")  # the worker's first request also loads what it lazily imports
        time.sleep(READY_CACHE_SECONDS)  # past the answer it keeps
        started = time.monotonic()
        response = get(server, "/readyz")
        took = time.monotonic() - started
    finally:
        node.stop()  # first: a worker exits only once its probes' calls end
        server.stop()
    assert took < READY_SECONDS + 0.5
    assert response.status_code == 200  # a node away is no reason to leave the Service
    assert response.json()["status"] == "degraded"
    assert response.json()["down"] == [f"cache default (objects cluster) node {node.address}"]

"""The served site when a memcached cluster goes away, and when its environment is wrong:
pages answer, sign-in says 503, the readiness probe stays 200 and names the node, gunicorn
refuses with one line."""

import os
import re
import subprocess
import sys

import pytest

from tests.support.daemons import BASE_DIR, free_port
from tests.support.manifests import readiness_path
from tests.support.sites import get, sign_in
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow


OUTAGE_REQUESTS = 30


def test_objects_memcached_killed_pages_answer_and_the_pods_stay_ready(site, site_objects):
    # The probe the Kubernetes manifests give the web pods: a node away must not take every
    # replica out of the Service at once (docs/kubernetes.md, "Readiness").
    probe = readiness_path()
    browser, _ = sign_in(site)
    log_before = len(site.log())
    site_objects.stop()
    try:
        statuses = {get(site, "/").status_code for _ in range(OUTAGE_REQUESTS)}
        assert statuses == {200}
        assert "Signed in as <strong>alice</strong>" in browser.get(site.url + "/", timeout=10).text
        # Each process answers /readyz from its last probe for a second (ops/health.py).
        ready = wait_for(lambda: get(site, probe), lambda r: r.json()["status"] == "degraded")
        assert ready.status_code == 200
        assert ready.json()["down"] == [
            f"cache default (objects cluster) node {site_objects.address}"
        ]
    finally:
        site_objects.start()

    served = site.log_lines(
        r'"GET / HTTP/1\.1" 200 ', since=log_before, at_least=OUTAGE_REQUESTS + 1
    )
    assert len(served) == OUTAGE_REQUESTS + 1
    outage_log = site.log()[log_before:]
    warnings = re.findall(r"WARNING ops\.cache: objects cache .* answering as a miss", outage_log)
    # Rate-limited: at most one warning per worker process, not one per request.
    assert 1 <= len(warnings) <= 2
    assert "Traceback" not in outage_log

    wait_for(lambda: get(site, probe).json()["status"] == "ready", what="readyz recovering")


def test_sessions_memcached_killed_pages_answer_and_sign_in_is_503(site, site_sessions):
    browser, _ = sign_in(site)
    log_before = len(site.log())
    site_sessions.stop()
    try:
        for path in ("/", "/feeds/", "/accounts/login/", "/admin/login/", "/status/"):
            statuses = {get(site, path).status_code for _ in range(3)}
            assert statuses <= {200, 302}, (path, statuses)
        # The signed-in browser is anonymous for the outage, and keeps its cookie.
        home = browser.get(site.url + "/", timeout=10)
        assert home.status_code == 200
        assert "Sign in</a>" in home.text
        assert "sessionid" in browser.cookies
        _, refused = sign_in(site)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "30"
        assert "Sign-in is temporarily unavailable" in refused.text
    finally:
        site_sessions.start()

    outage_log = site.log()[log_before:]
    warnings = re.findall(r"WARNING sessions_backend: sessions cluster unavailable", outage_log)
    assert 1 <= len(warnings) <= 2  # rate-limited: one per worker process
    assert "Traceback" not in outage_log

    # Back without a restart of gunicorn (the restarted memcached is empty: sign in again).
    wait_for(lambda: sign_in(site)[1].status_code == 302, what="sign-in coming back")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "Configuration error: DJANGO_SECRET_KEY is not set;"),
        ({"WEB_CONCURRENCY": "0"}, "Configuration error: WEB_CONCURRENCY is '0';"),
    ],
)
def test_gunicorn_refuses_to_start_misconfigured_with_one_line(env, message):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "project.wsgi"],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_HTTPS": "false", "PORT": str(free_port()), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert message in output
    assert "Traceback" not in output

"""The web pod's size, as the Kubernetes manifests give it, holds the site it runs: gunicorn
with the manifests' WEB_CONCURRENCY, after a few hundred signed-in and feed requests, uses
less than two thirds of the memory limit (docs/kubernetes.md, "Sizing", shows the figures).

The worker count used to follow the node's CPUs, and more than ten workers did not fit the
limit: the container was killed as they booted."""

import base64
import re
from pathlib import Path

import pytest

from tests.support.manifests import site_config, web_container
from tests.support.sites import DEMO_PASSWORD, get, sign_in, start_site

pytestmark = pytest.mark.slow

#: The share of the limit the pod may use after the load: the rest is headroom for what the
#: load here does not reach (bigger pages, longer uptime, a burst of sign-ins).
AT_MOST = 2 / 3
ROUNDS = 12

UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def quantity(text):
    number, unit = re.fullmatch(r"(\d+)([KMG]i)", text).groups()
    return int(number) * UNITS[unit]


def processes(master_pid):
    """The gunicorn master and its workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [master_pid, *map(int, children)]


def pss_bytes(pid):
    """The process's proportional share of the memory it maps (shared pages split)."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) * 1024


def test_the_pods_memory_limit_holds_its_workers_with_headroom(
    tmp_path, site_objects, site_sessions, collected_static
):
    config, container = site_config(), web_container()
    workers = int(config["WEB_CONCURRENCY"])
    limit = quantity(container["resources"]["limits"]["memory"])
    site = start_site(
        tmp_path,
        site_objects,
        site_sessions,
        WEB_CONCURRENCY=str(workers),
        DJANGO_SESSION_ENGINE=config["DJANGO_SESSION_ENGINE"],
        LOG_FORMAT=config["LOG_FORMAT"],
    )
    try:
        browsers = [sign_in(site, user)[0] for user in ("alice", "bob", "alice", "bob")]
        basic = base64.b64encode(f"alice:{DEMO_PASSWORD}".encode()).decode()
        for _ in range(ROUNDS):  # every worker serves each kind of page
            for browser in browsers:
                for path in ("/", "/account/", "/entries/", "/feeds/", "/status/"):
                    assert browser.get(site.url + path, timeout=10).status_code == 200, path
            feed = get(site, "/feeds/members.rss", headers={"Authorization": f"Basic {basic}"})
            assert feed.status_code == 200
            assert get(site, "/feeds/latest.atom").status_code == 200
        pids = processes(site.process.pid)
        assert len(pids) == workers + 1
        each = [pss_bytes(pid) for pid in pids]
        used = sum(each)
    finally:
        site.stop()
    print(f"master and {workers} workers: {[round(b / 2**20) for b in each]} MiB,", end=" ")
    print(f"{used / 2**20:.0f} MiB of {limit / 2**20:.0f} MiB")
    assert used <= AT_MOST * limit, (used / 2**20, limit / 2**20)

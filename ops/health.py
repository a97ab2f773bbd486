"""Liveness and readiness probes for load balancers, orchestrators and people.

``/healthz`` says the process answers; it touches nothing, so a memcached or database
outage never makes an orchestrator restart healthy web processes. ``/readyz`` says whether
this process can do its work: it probes the database and every node of every cache, all at
once, and answers within READY_SECONDS whatever they do. A probe still running then (a node
that trickles its answer, a name the resolver takes seconds to give up on) counts as down;
its thread finishes in the background.

Both are answered by ``HealthCheckMiddleware``, early in ``MIDDLEWARE`` (after the request
id and the client's address only): probes come by IP address and over plain HTTP from inside
the deployment, so they must not meet ``ALLOWED_HOSTS`` or the HTTPS redirect.
"""

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import PyLibMCCache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from ops.memcached import cluster_name, node_stats

UP, DOWN = "up", "down"
#: How long /readyz may take: orchestrators time probes out (Kubernetes: 1 s by default).
READY_SECONDS = 1.0


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def database_state(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the kind is not ours to judge
        return DOWN
    finally:
        connections[alias].close()  # the probe's own connection, in the probe's own thread
    return UP


def node_state(server):
    return UP if node_stats(server) is not None else DOWN


def local_cache_state(alias):
    cache, probe_key = caches[alias], "readyz-probe"
    try:
        cache.set(probe_key, UP, 5)
        return UP if cache.get(probe_key) == UP else DOWN
    except Exception:  # noqa: BLE001 - same reason as for the database
        return DOWN


def cache_probes(alias):
    """``{node: probe}`` for a cache alias; a non-memcached cache is one node, "local"."""
    cache = caches[alias]
    if isinstance(cache, PyLibMCCache):
        return {server: functools.partial(node_state, server) for server in cache.client_servers}
    return {"local": functools.partial(local_cache_state, alias)}


def run_within(probes, seconds):
    """Run every probe at once; return ``{key: state}``, DOWN for those still running."""
    pool = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="readyz")
    futures = {key: pool.submit(probe) for key, probe in probes.items()}
    done, _ = wait(futures.values(), timeout=seconds)
    pool.shutdown(wait=False, cancel_futures=True)
    return {key: future.result() if future in done else DOWN for key, future in futures.items()}


@never_cache
def readyz(request):
    nodes = {alias: cache_probes(alias) for alias in settings.CACHES}
    probes: dict[tuple[str, ...], Callable[[], str]] = {
        ("database", alias): functools.partial(database_state, alias) for alias in connections
    }
    for alias, probes_of_alias in nodes.items():
        probes.update({("cache", alias, node): probe for node, probe in probes_of_alias.items()})
    states = run_within(probes, READY_SECONDS)
    databases = {alias: states["database", alias] for alias in connections}
    caches_report = {
        alias: {
            "cluster": cluster_name(alias),
            "nodes": {node: states["cache", alias, node] for node in probes_of_alias},
        }
        for alias, probes_of_alias in nodes.items()
    }
    down = [f"database {alias}" for alias, state in databases.items() if state == DOWN]
    down += [
        f"cache {alias} ({report['cluster']} cluster) node {node}"
        for alias, report in caches_report.items()
        for node, state in report["nodes"].items()
        if state == DOWN
    ]
    body = {
        "status": "ready" if not down else "unavailable",
        "database": databases,
        "caches": caches_report,
        "down": down,
    }
    response = JsonResponse(body, status=503 if down else 200)
    # Django logs every 5xx on django.request at ERROR; a probe polled every few seconds
    # would bury real errors during an outage. The access log and the body say it all.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own marker
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before host validation, redirects and sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)

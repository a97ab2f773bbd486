"""Liveness and readiness probes for load balancers, orchestrators and people.

``/healthz`` says the process answers; it touches nothing, so a memcached or database
outage never makes an orchestrator restart healthy web processes. ``/readyz`` says whether
this process can serve: ``503`` when a database does not answer, ``200`` otherwise. It also
probes every node of every cache and names each one down, but a node away is not a reason to
leave the load balancer: the site serves through it by design (an objects node away is a
miss; sessions are in the database behind ``cached_db``), and every replica shares the same
nodes, so a probe that failed on them would take every replica out at once, turning a
survivable outage into a total one (docs/kubernetes.md, "Readiness"). The body
then says ``"degraded"``; alerts come from the metrics (``site_cache_node_up``).

Every probe runs at once, and ``/readyz`` answers within READY_SECONDS whatever they do. A
probe still running then (a node that trickles its answer, a name the resolver takes seconds
to give up on) counts as down; its thread finishes in the background.

Both are answered by ``HealthCheckMiddleware``, early in ``MIDDLEWARE`` (after the request
id and the client's address only): probes come by IP address and over plain HTTP from inside
the deployment, so they must not meet ``ALLOWED_HOSTS`` or the HTTPS redirect. They, and
``/metrics`` (ops.metrics), are answered only at their exact path as the client wrote it
(``is_exactly``): ``/%6detrics`` is an ordinary request, which meets the host check and the
URLs (a 404), so an edge proxy that keeps out ``/metrics`` by its raw path keeps out every
spelling of it (SECURITY.md, third review, #5).

A process keeps its last probe of everything for READY_CACHE_SECONDS (``last_readiness``,
which ``/metrics`` reads too): whoever can reach it cannot make it open a database connection
and one per memcached node on every call.
"""

import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from ops.memcached import cluster_name, node_stats

UP, DOWN = "up", "down"
#: What /readyz says of the process: 200 for the first two, 503 for the last.
READY, DEGRADED, UNAVAILABLE = "ready", "degraded", "unavailable"
#: How long /readyz may take: orchestrators time probes out (Kubernetes: 1 s by default).
READY_SECONDS = 1.0
#: How long a process answers /readyz from its last probe of everything.
READY_CACHE_SECONDS = 1.0


def is_exactly(request, path):
    """Whether ``request`` asked for ``path`` exactly as written, percent-escapes included.

    gunicorn keeps the request target as sent in ``RAW_URI`` (uWSGI in ``REQUEST_URI``);
    ``path_info`` is decoded. Servers that keep neither (runserver) are compared decoded."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw is None:
        return request.path_info == path
    return raw.partition("?")[0] == path


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
    if isinstance(cache, BaseMemcachedCache):
        return {server: functools.partial(node_state, server) for server in cache.client_servers}
    return {"local": functools.partial(local_cache_state, alias)}


def run_within(probes, seconds):
    """Run every probe at once; return ``{key: state}``, DOWN for those still running."""
    pool = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="readyz")
    futures = {key: pool.submit(probe) for key, probe in probes.items()}
    done, _ = wait(futures.values(), timeout=seconds)
    pool.shutdown(wait=False, cancel_futures=True)
    return {key: future.result() if future in done else DOWN for key, future in futures.items()}


class _LastAnswer:
    lock = threading.Lock()
    at: float | None = None
    report: dict = {}


def forget_last_answer(setting, **kwargs):
    """A ``setting_changed`` receiver (tests): new databases or caches, a new answer."""
    if setting in ("CACHES", "DATABASES"):
        _LastAnswer.at = None


def last_readiness():
    """The report of ``readiness()``, probed again when older than READY_CACHE_SECONDS."""
    with _LastAnswer.lock:  # one probe of everything at a time; the others wait for its answer
        now = time.monotonic()
        if _LastAnswer.at is None or now - _LastAnswer.at >= READY_CACHE_SECONDS:
            _LastAnswer.report = readiness()
            _LastAnswer.at = time.monotonic()
        return _LastAnswer.report


@never_cache
def readyz(request):
    report = last_readiness()
    response = JsonResponse(report, status=503 if report["status"] == UNAVAILABLE else 200)
    # Django logs every 5xx on django.request at ERROR; a probe polled every few seconds
    # would bury real errors during an outage. The access log and the body say it all.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own marker
    return response


def readiness():
    """Probe the database and every node of every cache; say what this process can do.

    ``status`` is READY when everything answers, DEGRADED when only cache nodes are down (the
    site serves through that), UNAVAILABLE when a database is down. ``down`` names each."""
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
    databases_down = [f"database {alias}" for alias, state in databases.items() if state == DOWN]
    nodes_down = [
        f"cache {alias} ({report['cluster']} cluster) node {node}"
        for alias, report in caches_report.items()
        for node, state in report["nodes"].items()
        if state == DOWN
    ]
    status = UNAVAILABLE if databases_down else DEGRADED if nodes_down else READY
    return {
        "status": status,
        "database": databases,
        "caches": caches_report,
        "down": databases_down + nodes_down,
    }


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before host validation, redirects and sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or not is_exactly(request, request.path_info):
            return self.get_response(request)
        return probe(request)

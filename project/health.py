"""Liveness and readiness probes for load balancers, orchestrators and people.

``/healthz`` says the process answers; it touches nothing, so a memcached or database
outage never makes an orchestrator restart healthy web processes. ``/readyz`` says whether
this process can do its work: it probes the database and every node of every cache.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``: probes come by IP
address and over plain HTTP from inside the deployment, so they must not meet
``ALLOWED_HOSTS`` or the HTTPS redirect.
"""

from types import MappingProxyType

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import PyLibMCCache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from sessions_backend.stats import cluster_name, node_stats

UP, DOWN = "up", "down"


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def database_state(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the kind is not ours to judge
        return DOWN
    return UP


def cache_nodes(alias):
    """Return ``{node: state}`` for a cache alias; non-memcached caches are one node, "local"."""
    cache = caches[alias]
    if isinstance(cache, PyLibMCCache):
        return {
            server: UP if node_stats(server) is not None else DOWN
            for server in cache.client_servers
        }
    probe_key = "readyz-probe"
    try:
        cache.set(probe_key, UP, 5)
        state = UP if cache.get(probe_key) == UP else DOWN
    except Exception:  # noqa: BLE001 - same reason as for the database
        state = DOWN
    return {"local": state}


@never_cache
def readyz(request):
    databases = {alias: database_state(alias) for alias in connections}
    caches_report = {
        alias: {"cluster": cluster_name(alias), "nodes": cache_nodes(alias)}
        for alias in settings.CACHES
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
    response._has_been_logged = True
    return response


PROBES = MappingProxyType({"/healthz": healthz, "/readyz": readyz})


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before host validation, redirects and sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)

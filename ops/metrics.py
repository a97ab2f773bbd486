"""The site's Prometheus metrics, summed over every gunicorn worker.

Each worker process counts on its own; with ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py
sets it), prometheus_client keeps each process's counts in a file of that directory, and
``/metrics`` adds them all up, those of workers that have exited included. Without it (runserver,
tests, a shell), the counts are this process's.

The families, their labels and what they mean are in docs/operations.md: dashboards and alert
rules depend on these names. They are counted here from the apps' signals (connected by
``connect_receivers``, from ``ops.apps``), from the objects cache (``ops.cache``), and
by ``MetricsMiddleware`` for every request. An app above ops defines and counts its own
families (feeds.metrics): prometheus_client exports every counter of the process, so ops
needs to know none of them. The same middleware answers ``/metrics`` before
host validation and the HTTPS redirect, as /readyz is (ops/health.py): Prometheus
scrapes each web process by address, over plain HTTP, from inside the deployment. With
``OPS_METRICS_TOKEN`` set, it must send ``Authorization: Bearer <token>``.
"""

import functools
import glob
import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from ops.conf import app_settings
from ops.health import UP, is_exactly, last_readiness

METRICS_PATH = "/metrics"

#: The counters /status/ shows (ops.views), with their labels in order (``_shown_counter``).
COUNTERS = {}


def _shown_counter(name, documentation, labels):
    COUNTERS[name] = tuple(labels)
    return Counter(name, documentation, labels)


CACHE_OPERATIONS = _shown_counter(
    "site_cache_operations",
    "Cache keys looked up, by cluster and result (hit, miss); error: calls that failed.",
    ["cluster", "result"],
)
SESSION_STORE_FAILURES = _shown_counter(
    "site_session_store_failures",
    "Sessions the sessions cluster could not load (signed out for the request) or write (503).",
    ["operation"],
)
BASIC_AUTH = _shown_counter(
    "site_basic_auth",
    "HTTP Basic checks, by result (cached, verified, refused, locked_out).",
    ["result"],
)
REQUEST_DURATION = Histogram(
    "site_request_duration_seconds",
    "Time from the first middleware to the response, by view name.",
    ["view"],
)
RESPONSES = Counter("site_responses", "Responses, by view name and status.", ["view", "status"])

#: The view name of requests that no URL pattern matched (unknown paths, redirects).
UNRESOLVED = "unresolved"
#: The clusters the cache counter names: the objects cache's key prefix, and the sessions one.
CLUSTERS = ("objects", "sessions")
#: What the site answers when it fails: the 500 page, and 503 for an outage.
SERVER_ERRORS = ("500", "503")


def registry():
    """The registry to read: every process's files when there are several, else this one's."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    collected = CollectorRegistry()
    SettledFilesCollector(collected)
    return collected


class SettledFilesCollector(multiprocess.MultiProcessCollector):
    """prometheus_client's, leaving out the file of a process that is still making it.

    A worker's file exists empty for an instant between its creation and its first size, and
    read then it fails the whole scrape (struct.error: a 500). Workers make theirs as they boot
    (``export_known_series``), which is when a new deployment's first scrapes arrive."""

    def collect(self):
        files = glob.glob(os.path.join(self._path, "*.db"))
        return self.merge([path for path in files if _made(path)], accumulate=True)


def _made(path):
    try:
        return os.path.getsize(path) > 0  # the size comes before anything is written
    except OSError:  # gone meanwhile (an exited worker's live gauge)
        return False


def metrics(request):
    """The exposition format, for Prometheus."""
    token = app_settings.METRICS_TOKEN
    if token and not _bearer_matches(request, token):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    exposed = generate_latest(registry()) + generate_latest(dependencies())
    response = HttpResponse(exposed, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def dependencies():
    """A registry of what this process finds of its database and each cache node, now."""
    collected = CollectorRegistry(auto_describe=False)  # collected when scraped, not here
    collected.register(DependenciesCollector())
    return collected


class DependenciesCollector:
    """``site_database_up`` and ``site_cache_node_up``: 1 when it answers, 0 when not.

    Read from the process's last readiness probe (ops.health.last_readiness, at most a second
    old): /readyz stays 200 while a cache node is away, so this is where alerts learn of it."""

    def collect(self):
        report = last_readiness()
        databases = GaugeMetricFamily(
            "site_database_up", "Whether each database answers (1) or not (0).", labels=["alias"]
        )
        for alias, state in report["database"].items():
            databases.add_metric([alias], int(state == UP))
        nodes = GaugeMetricFamily(
            "site_cache_node_up",
            "Whether each node of each cache cluster answers (1) or not (0).",
            labels=["cluster", "node"],
        )
        for cache in report["caches"].values():
            for node, state in cache["nodes"].items():
                nodes.add_metric([cache["cluster"], node], int(state == UP))
        yield databases
        yield nodes


def _bearer_matches(request, token):
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNRESOLVED


class MetricsMiddleware:
    """Answer ``/metrics``; time and count every other request by its view's name.

    Put it after ops.health's middleware (probes are not timed) and before anything that
    checks the host or redirects to HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response
        # As the process starts (gunicorn loads the middleware as a worker boots).
        export_known_series(settings.ROOT_URLCONF)

    def __call__(self, request):
        if is_exactly(request, METRICS_PATH):
            return metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        REQUEST_DURATION.labels(view).observe(time.perf_counter() - started)
        RESPONSES.labels(view, str(response.status_code)).inc()
        return response


@functools.cache
def export_known_series(urlconf):
    """Export every counter's label sets known in advance, at 0, once per process (and
    URLconf: ``urlconf``'s views are the known ones).

    A series appears with its first count otherwise: ``increase()`` and ``rate()`` then miss
    that first count, so an alert on the first failures never fires, and a dashboard cannot
    tell "none" from "not exported" (Prometheus' advice on labelled metrics). Known: both
    clusters' results, the store failures, the Basic results, and each view answering 500 or
    503, for the alert on server errors. Other statuses appear as they are answered. (The
    feeds export theirs: feeds.metrics.)
    """
    from httpauth.signals import RESULTS
    from sessions_backend.signals import ACCESS_RESULTS, FAILED_OPERATIONS

    for cluster in CLUSTERS:
        for result in ACCESS_RESULTS:
            CACHE_OPERATIONS.labels(cluster, result)
    for operation in FAILED_OPERATIONS:
        SESSION_STORE_FAILURES.labels(operation)
    for result in RESULTS:
        BASIC_AUTH.labels(result)
    for view in (*_view_names(get_resolver(urlconf).url_patterns), UNRESOLVED):
        for status in SERVER_ERRORS:
            RESPONSES.labels(view, status)


def _view_names(patterns, namespace=""):
    """The names ``resolver_match.view_name`` takes, as ``view_name()`` counts them."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _view_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


# Counting the apps' signals.


def count_cluster_access(sender, result, count, **kwargs):
    CACHE_OPERATIONS.labels("sessions", result).inc(count)


def count_store_failure(sender, operation, **kwargs):
    SESSION_STORE_FAILURES.labels(operation).inc()


def count_basic_auth(sender, result, **kwargs):
    BASIC_AUTH.labels(result).inc()


def connect_receivers():
    """Count what the site's apps signal. (An app above ops counts its own: feeds.metrics.)"""
    from httpauth.signals import basic_auth_checked
    from sessions_backend.signals import cluster_accessed, store_failed

    cluster_accessed.connect(count_cluster_access, dispatch_uid="ops-metrics")
    store_failed.connect(count_store_failure, dispatch_uid="ops-metrics")
    basic_auth_checked.connect(count_basic_auth, dispatch_uid="ops-metrics")

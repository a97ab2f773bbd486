"""The operations pages: /status/ (both clusters side by side, where this very session is
kept, and for staff the site's counters) and the objects flush (/status/flush-objects/)."""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import caches
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ops.memcached import all_clusters, node_holds
from ops.metrics import COUNTERS, registry

#: Who may flush the objects cluster (ops/models.py).
FLUSH_PERMISSION = "ops.flush_objects"


def _session_holders(request, clusters):
    """Return the ``host:port`` of every node, of any cluster, that holds this session."""
    session = request.session
    prefix = getattr(session, "cache_key_prefix", None)  # None: not a cache-backed engine
    if prefix is None or session.session_key is None:
        return set()
    return {
        node["server"]
        for cluster in clusters
        for node in cluster["nodes"]
        if node["up"]
        and node_holds(
            node["server"], caches[cluster["alias"]].make_key(prefix + session.session_key)
        )
    }


@login_required
def status(request):
    """Both clusters side by side, where this very session is kept, and (for staff) the
    site's counters, summed over every process as /metrics has them."""
    clusters = all_clusters()
    holders = _session_holders(request, clusters)
    for cluster in clusters:
        cluster["holds_session"] = any(node["server"] in holders for node in cluster["nodes"])
        for node in cluster["nodes"]:
            node["holds_session"] = node["server"] in holders
    context = {"clusters": clusters}
    if request.user.is_staff:
        context["figures"] = site_figures()
    return render(request, "ops/status.html", context)


@login_required
@permission_required(FLUSH_PERMISSION, raise_exception=True)  # 403: staff alone is not enough
@require_http_methods(["GET", "POST"])
def flush_objects(request):
    """Flush the objects cluster, after a confirmation: you stay signed in."""
    if request.method == "POST":
        caches["default"].clear()
        messages.success(
            request,
            "The object cache is flushed, and you are still signed in: sessions live elsewhere.",
        )
        return redirect("status")
    return render(request, "ops/flush_objects.html")


# What /status/ shows to staff: the metrics' counters, read back from the registry.


def totals():
    """``{family: {label values: total}}`` of the COUNTERS, summed over processes."""
    found: defaultdict[str, dict[tuple[str, ...], float]] = defaultdict(dict)
    for family in registry().collect():
        labels = COUNTERS.get(family.name)
        if labels is None:
            continue
        for sample in family.samples:
            if sample.name == family.name + "_total":
                key = tuple(sample.labels[label] for label in labels)
                found[family.name][key] = found[family.name].get(key, 0) + sample.value
    return found


def site_figures():
    """The counters as /status/ lays them out."""
    found = totals()
    by_cluster: dict[str, dict[str, Any]] = {}
    for (cluster, result), value in found["site_cache_operations"].items():
        by_cluster.setdefault(cluster, {"hit": 0, "miss": 0, "error": 0})[result] = int(value)
    for figures in by_cluster.values():
        lookups = figures["hit"] + figures["miss"]
        figures["hit_ratio"] = figures["hit"] / lookups if lookups else None
    return {
        "caches": dict(sorted(by_cluster.items())),
        "session_store_failures": {
            operation: int(value)
            for (operation,), value in sorted(found["site_session_store_failures"].items())
        },
        "basic_auth": {
            result: int(value) for (result,), value in sorted(found["site_basic_auth"].items())
        },
    }

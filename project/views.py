"""The site's own pages: home, and the status of both clusters and of the whole site."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import caches
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ops.memcached import all_clusters, node_holds
from ops.metrics import site_figures

#: Who may flush the objects cluster (project/models.py).
FLUSH_PERMISSION = "project.flush_objects"


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


def home(request):
    """What this site is, and what to try on it."""
    return render(request, "home.html")


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
    return render(request, "status.html", context)


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
    return render(request, "flush_objects.html")

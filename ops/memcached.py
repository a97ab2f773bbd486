"""What each memcached node of each cluster says about itself.

One fresh client per node with short timeouts, so a probe never waits long on a dead node
and never inherits the site's clients' failover state. Used by ``manage.py memcached_stats``,
``/status/`` and ``/readyz``.
"""

from typing import cast

import pylibmc
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import PyLibMCCache

PROBE_OPTIONS = {
    "binary": False,
    "behaviors": {
        "tcp_nodelay": True,
        "connect_timeout": 500,
        "_poll_timeout": 500,
        "send_timeout": 500_000,
        "receive_timeout": 500_000,
    },
}


def _probe(server):
    return pylibmc.Client([server], **PROBE_OPTIONS)


def node_stats(server):
    """Return a node's figures, or None when it does not answer."""
    client = _probe(server)
    try:
        [(_name, raw)] = client.get_stats()
    except pylibmc.Error:
        return None
    finally:
        client.disconnect_all()
    hits, misses = int(raw["get_hits"]), int(raw["get_misses"])
    return {
        "items": int(raw["curr_items"]),
        "bytes": int(raw["bytes"]),
        "limit_bytes": int(raw["limit_maxbytes"]),
        "evictions": int(raw["evictions"]),
        "hit_ratio": hits / (hits + misses) if hits + misses else None,
        "uptime_seconds": int(raw["uptime"]),
        "version": raw["version"].decode(),
    }


def node_holds(server, key):
    """Say whether one node holds ``key`` (a full memcached key, prefix included)."""
    client = _probe(server)
    try:
        return client.get(key) is not None
    except pylibmc.Error:
        return False
    finally:
        client.disconnect_all()


def memcached_aliases():
    return [alias for alias in settings.CACHES if isinstance(caches[alias], PyLibMCCache)]


def cluster_name(alias):
    """Name a cache alias's cluster by its key prefix ("objects", "sessions")."""
    return settings.CACHES[alias].get("KEY_PREFIX") or alias


def cluster_stats(alias):
    """Return ``{"alias", "cluster", "nodes": [{"server", "up", ...figures}]}``."""
    nodes = []
    for server in cast(PyLibMCCache, caches[alias]).client_servers:  # memcached_aliases()
        figures = node_stats(server)
        nodes.append({"server": server, "up": figures is not None, **(figures or {})})
    return {"alias": alias, "cluster": cluster_name(alias), "nodes": nodes}


def all_clusters():
    return [cluster_stats(alias) for alias in memcached_aliases()]

"""What each memcached node of each cluster says about itself.

One fresh client per node with short timeouts, so a probe never waits long on a dead node
and never inherits the site's clients' failover state. pymemcache's plain Client, whichever
client the site runs on (MEMCACHED_CLIENT): it is pure Python, so always installed.
Used by ``manage.py memcached_stats``, ``/status/`` and ``/readyz``.
"""

from typing import cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from pymemcache.client.base import Client, normalize_server_spec
from pymemcache.exceptions import MemcacheError

#: Seconds a probe waits to connect, and then for each answer.
PROBE_TIMEOUT = 0.5


def _probe(server):
    return Client(
        normalize_server_spec(server),
        connect_timeout=PROBE_TIMEOUT,
        timeout=PROBE_TIMEOUT,
        no_delay=True,
        default_noreply=False,
    )


def node_stats(server):
    """Return a node's figures, or None when it does not answer."""
    client = _probe(server)
    try:
        raw = client.stats()
    except (MemcacheError, OSError):
        return None
    finally:
        client.close()
    hits, misses = int(raw[b"get_hits"]), int(raw[b"get_misses"])
    return {
        "items": int(raw[b"curr_items"]),
        "bytes": int(raw[b"bytes"]),
        "limit_bytes": int(raw[b"limit_maxbytes"]),
        "evictions": int(raw[b"evictions"]),
        "hit_ratio": hits / (hits + misses) if hits + misses else None,
        "uptime_seconds": int(raw[b"uptime"]),
        "version": raw[b"version"].decode(),
    }


def node_holds(server, key):
    """Say whether one node holds ``key`` (a full memcached key, prefix included)."""
    client = _probe(server)
    try:
        return client.get(key) is not None
    except (MemcacheError, OSError):
        return False
    finally:
        client.close()


def memcached_aliases():
    return [alias for alias in settings.CACHES if isinstance(caches[alias], BaseMemcachedCache)]


def cluster_name(alias):
    """Name a cache alias's cluster by its key prefix ("objects", "sessions")."""
    return settings.CACHES[alias].get("KEY_PREFIX") or alias


def cluster_stats(alias):
    """Return ``{"alias", "cluster", "nodes": [{"server", "up", ...figures}]}``."""
    nodes = []
    for server in cast(BaseMemcachedCache, caches[alias]).client_servers:  # memcached_aliases()
        figures = node_stats(server)
        nodes.append({"server": server, "up": figures is not None, **(figures or {})})
    return {"alias": alias, "cluster": cluster_name(alias), "nodes": nodes}


def all_clusters():
    return [cluster_stats(alias) for alias in memcached_aliases()]

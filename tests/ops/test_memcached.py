from django.core.cache import caches

from ops.memcached import all_clusters, cluster_stats, node_holds, node_stats


def test_node_stats_of_a_live_node(memcached_objects):
    caches["default"].set("k", "v")
    caches["default"].get("k")
    caches["default"].get("missing")
    figures = node_stats(memcached_objects.address)
    assert figures["items"] >= 1  # flushed items leave the count lazily
    assert figures["limit_bytes"] == 16 * 1024 * 1024
    assert figures["evictions"] == 0
    assert 0 < figures["hit_ratio"] < 1
    assert figures["uptime_seconds"] >= 0
    assert figures["version"].startswith("1.6")


def test_node_stats_of_a_dead_node(memcached):
    daemon = memcached()
    daemon.stop()
    assert node_stats(daemon.address) is None


def test_cluster_stats_name_both_clusters_by_their_key_prefix(
    settings, memcached_objects, memcached_sessions
):
    alias = settings.SESSION_CACHE_ALIAS
    clusters = all_clusters()
    assert [(c["alias"], c["cluster"]) for c in clusters] == [
        ("default", "objects"),
        (alias, "sessions"),
    ]
    assert [node["server"] for node in cluster_stats(alias)["nodes"]] == [
        memcached_sessions.address
    ]
    assert cluster_stats(alias)["nodes"][0]["up"] is True


def test_node_holds_a_key_only_where_it_is(settings, memcached_objects, memcached_sessions):
    sessions = caches[settings.SESSION_CACHE_ALIAS]
    sessions.set("k", "v")
    key = sessions.make_key("k")
    assert node_holds(memcached_sessions.address, key) is True
    assert node_holds(memcached_objects.address, key) is False

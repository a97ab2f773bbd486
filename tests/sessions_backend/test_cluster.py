"""The cluster adapters: memcached's replace and gets/cas, and their emulation elsewhere."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from sessions_backend.cluster import EmulatedCluster, MemcachedCluster, sessions_cluster
from sessions_backend.outage import SessionStoreUnavailable
from sessions_backend.signals import cluster_accessed
from tests.support.signals import caught


@pytest.fixture(params=["memcached", "locmem"])
def cluster(request):
    if request.param == "memcached":
        return sessions_cluster()
    return EmulatedCluster(LocMemCache(f"cluster-tests-{uuid.uuid4()}", {}))


def test_the_session_cache_alias_on_memcached_gets_the_memcached_adapter(settings):
    assert isinstance(sessions_cluster(), MemcachedCluster)
    assert sessions_cluster().cache is caches[settings.SESSION_CACHE_ALIAS]


def test_another_cache_gets_the_emulation(settings):
    settings.CACHES = {
        **settings.CACHES,
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SESSION_CACHE_ALIAS = "local"
    assert isinstance(sessions_cluster(), EmulatedCluster)
    assert sessions_cluster().cache is caches["local"]


def test_replace_stores_only_over_an_existing_key(cluster):
    assert cluster.replace("k", 1, 60) is False
    assert cluster.get("k") is None
    assert cluster.add("k", 1, 60) is True
    assert cluster.replace("k", 2, 60) is True
    assert cluster.get("k") == 2


def test_add_refuses_an_existing_key(cluster):
    assert cluster.add("k", 1, 60) is True
    assert cluster.add("k", 2, 60) is False
    assert cluster.get("k") == 1


def test_cas_stores_only_over_what_gets_returned(cluster):
    cluster.set("k", {"a": 1}, 60)
    value, token = cluster.gets("k")
    assert value == {"a": 1}
    cluster.set("k", {"a": 2}, 60)  # someone else wrote in between
    assert cluster.cas("k", {"a": 3}, token, 60) is False
    value, token = cluster.gets("k")
    assert cluster.cas("k", {"a": 3}, token, 60) is True
    assert cluster.get("k") == {"a": 3}


def test_gets_and_cas_of_a_missing_key(cluster):
    assert cluster.gets("missing") == (None, None)
    assert cluster.cas("missing", 1, 12345, 60) is False


def test_get_many_and_delete(cluster):
    cluster.set("a", 1, 60)
    cluster.set("b", 2, 60)
    assert cluster.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cluster.delete("a") is True
    assert cluster.get_many(["a", "b"]) == {"b": 2}


def test_gets_under_threads_always_asks_for_its_own_key():
    # pylibmc 1.6.3's gets() freed its copy of a str key before sending it, so threads sent
    # each other's freed bytes: the key read as absent, and the next command failed.
    sessions_cluster().set("shared", "value", 60)
    threads, calls, wrong = 8, 300, []
    start = threading.Barrier(threads)

    def read():
        cluster = sessions_cluster()  # each thread its own client, as in gunicorn's threads
        start.wait()
        for _ in range(calls):
            value, token = cluster.gets("shared")
            if value != "value" or token is None:
                wrong.append((value, token))

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert wrong == []


def accesses(sent):
    return [(signal["result"], signal["count"]) for signal in sent]


def test_memcached_lookups_are_signalled_as_hits_and_misses():
    cluster = sessions_cluster()
    cluster.set("present", 1, 60)
    cluster.set("also-present", 2, 60)
    with caught(cluster_accessed) as sent:
        cluster.get("present")
        cluster.get("absent")
        cluster.get_many(["present", "also-present", "absent", "gone"])
        cluster.gets("present")
        cluster.gets("absent")
    assert accesses(sent) == [
        ("hit", 1),
        ("miss", 1),
        ("hit", 2),
        ("miss", 2),
        ("hit", 1),
        ("miss", 1),
    ]


def test_writes_are_not_lookups():
    cluster = sessions_cluster()
    with caught(cluster_accessed) as sent:
        cluster.set("k", 1, 60)
        cluster.replace("k", 2, 60)
        cluster.delete("k")
    assert sent == []


def test_a_failed_call_is_signalled_as_an_error(stop_cluster, settings):
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    cluster = sessions_cluster()
    with caught(cluster_accessed) as sent, pytest.raises(SessionStoreUnavailable):
        cluster.set("k", 1, 60)
    with caught(cluster_accessed) as more, pytest.raises(SessionStoreUnavailable):
        cluster.get("k")
    assert accesses(sent) == [("error", 1)]
    assert accesses(more) == [("error", 1)]

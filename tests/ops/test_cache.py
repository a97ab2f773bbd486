"""The objects cache against a real memcached that is stopped and started again, on the
client the settings choose (MEMCACHED_CLIENT; CI runs the suite under both)."""

import logging
import time

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache.backends.memcached import PyLibMCCache
from django.utils.module_loading import import_string

from ops.cache import ResilientPyLibMCCache, ResilientPyMemcacheCache
from sessions_backend.clients import StrictPyMemcacheCache, client_errors
from sessions_backend.outage import RateLimitedWarning
from tests.support.waiting import wait_for

RECOVERY_SECONDS = 10  # well above the retry_timeout the settings give libmemcached
#: Each client's backend without ops.cache's policy.
PLAIN = {"pylibmc": PyLibMCCache, "pymemcache": StrictPyMemcacheCache}


def resilient():
    return import_string(settings.CACHES["default"]["BACKEND"])


def make_cache(backend, *daemons):
    options = settings.CACHES["default"]["OPTIONS"]
    servers = [daemon.address for daemon in daemons]
    return backend(servers, {"KEY_PREFIX": "test", "OPTIONS": options})


@pytest.fixture
def daemon(memcached):
    return memcached()


@pytest.fixture
def cache(daemon):
    return make_cache(resilient(), daemon)


@pytest.fixture
def down_cache(cache, daemon):
    cache.set("before", "outage")
    daemon.stop()
    return cache


def test_works_as_django_cache_while_memcached_is_up(cache):
    assert cache.set("k", {"a": 1}) is None
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", "other") is False
    assert cache.add("n", 1) is True
    assert cache.incr("n") == 2
    assert cache.delete("k") is True
    assert cache.get("k", "gone") == "gone"


def test_timeout_zero_expires_at_once(cache):
    # Django's contract; memcached's binary protocol would store it for ever (settings.py).
    cache.set("k", "v", 0)
    assert cache.get("k") is None


def test_plain_django_backend_raises_while_memcached_is_down(daemon):
    plain = make_cache(PLAIN[settings.MEMCACHED_CLIENT], daemon)
    daemon.stop()
    with pytest.raises(client_errors(plain)):
        plain.get("k")


def test_get_answers_the_default_while_down(down_cache):
    assert down_cache.get("before") is None
    assert down_cache.get("before", "fallback") == "fallback"
    assert down_cache.get_many(["before", "other"]) == {}
    assert down_cache.has_key("before") is False


def test_writes_answer_false_while_down(down_cache):
    assert down_cache.set("k", 1) is False
    assert down_cache.add("k", 1) is False
    assert down_cache.delete("before") is False
    assert down_cache.touch("before", 10) is False
    assert down_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert down_cache.delete_many(["a", "b"]) is None
    assert down_cache.clear() is None


def test_incr_and_decr_raise_as_for_a_missing_key_while_down(down_cache):
    with pytest.raises(ValueError, match="not found"):
        down_cache.incr("n")
    with pytest.raises(ValueError, match="not found"):
        down_cache.decr("n")


def test_get_or_set_computes_the_value_while_down(down_cache):
    assert down_cache.get_or_set("k", lambda: "computed") == "computed"


def test_async_api_follows_the_same_policy(down_cache):
    assert async_to_sync(down_cache.aget)("before", "fallback") == "fallback"
    assert async_to_sync(down_cache.aset)("k", 1) is False


def ops_cache_records(caplog):
    """This logger's records only: sessions_backend.nodes says when a node is skipped."""
    return [record for record in caplog.records if record.name == "ops.cache"]


def test_outage_warnings_are_rate_limited(down_cache, caplog):
    down_cache.outage_warning = RateLimitedWarning(logging.getLogger("ops.cache"), 0.5)
    with caplog.at_level(logging.WARNING, logger="ops.cache"):
        for _ in range(20):
            down_cache.get("k")
        records = ops_cache_records(caplog)
        assert len(records) == 1
        first = records[0].getMessage()
        assert f"objects cache {down_cache.client_servers[0]}: get failed with" in first
        assert first.endswith("; answering as a miss")
        time.sleep(0.6)
        down_cache.set("k", 1)
    records = ops_cache_records(caplog)
    assert len(records) == 2
    second = records[1].getMessage()
    assert ": set failed with" in second
    assert second.endswith("; answering as a miss (19 more failures since the last warning)")


def test_recovers_by_itself_under_continuous_traffic(down_cache, daemon):
    # Traffic that never pauses is what kept libmemcached 1.0.x's binary protocol from ever
    # reconnecting (see requirements.txt): poll much faster than the retry_timeout.
    assert down_cache.get("k", "miss") == "miss"
    daemon.start()
    wait_for(
        lambda: down_cache.set("k", "back"),
        lambda result: result is not False,  # False: refused while the node is away
        seconds=RECOVERY_SECONDS,
        what="a set",
    )
    assert down_cache.get("k") == "back"


def test_a_dead_node_costs_only_its_share_of_a_cluster(memcached):
    alive, dead = memcached(), memcached()
    cluster = make_cache(resilient(), alive, dead)
    keys = [f"key-{n}" for n in range(100)]
    cluster.set_many(dict.fromkeys(keys, "value"))
    dead.stop()
    hits = sum(cluster.get(key) == "value" for key in keys)
    # ketama spreads keys over both nodes; the live node's share still hits.
    assert 10 < hits < 90


def test_one_warning_limiter_per_cluster_shared_across_instances(daemon, memcached):
    first = make_cache(resilient(), daemon)
    second = make_cache(resilient(), daemon)
    other = make_cache(resilient(), memcached())
    assert first.outage_warning is second.outage_warning
    assert first.outage_warning is not other.outage_warning


@pytest.mark.pylibmc
def test_both_clients_objects_backends_share_one_cache(memcached):
    """A rolling switch of MEMCACHED_CLIENT keeps the objects cache: each backend reads what
    the other stored (tests/sessions_backend/test_ring.py: the same nodes, key for key)."""
    servers = [memcached().address for _ in range(3)]
    pylibmc_options = {"binary": False, "behaviors": {"tcp_nodelay": True, "ketama": True}}
    pymemcache_options = {"hasher": "sessions_backend.ring.LibmemcachedKetama"}
    libmc = ResilientPyLibMCCache(servers, {"KEY_PREFIX": "objects", "OPTIONS": pylibmc_options})
    pymc = ResilientPyMemcacheCache(
        servers, {"KEY_PREFIX": "objects", "OPTIONS": pymemcache_options}
    )
    pages = {f"page-{n}": f"rendered {n}" for n in range(200)}
    assert libmc.set_many(pages) == []
    assert pymc.get_many(list(pages)) == pages

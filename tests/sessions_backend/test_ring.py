"""One ring for both clients: pymemcache with sessions_backend.ring.LibmemcachedKetama puts
every key on the node pylibmc (libmemcached's ketama) puts it; each reads what the other wrote.

Real daemons and both real clients, whichever MEMCACHED_CLIENT the suite runs under: the
placement is counted key by key on the daemons themselves, never worked out from the hasher.
"""

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache.backends.memcached import PyLibMCCache
from pymemcache.client.base import Client

from sessions_backend.clients import StrictPyMemcacheCache
from sessions_backend.ring import LibmemcachedKetama, one_at_a_time
from tests.support.daemons import Memcached

KEYS = 10_000
#: Each client as the site configures it (project/settings.py), whichever the suite runs.
PYLIBMC_OPTIONS = {
    "binary": False,
    "behaviors": {"tcp_nodelay": True, "ketama": True, "cas": True},
}
PYMEMCACHE_OPTIONS = {"no_delay": True, "hasher": "sessions_backend.ring.LibmemcachedKetama"}


@pytest.fixture
def three_nodes(memcached):
    return [memcached(), memcached(), memcached()]


@pytest.fixture
def on_the_default_port():
    """Three daemons on port 11211, which libmemcached leaves out of its points' names, each
    on an address of its own in 127.0.0.0/8 (any of them is loopback on Linux)."""
    with (
        Memcached(host="127.0.0.21", port=11211) as first,
        Memcached(host="127.0.0.22", port=11211) as second,
        Memcached(host="127.0.0.23", port=11211) as third,
    ):
        yield [first, second, third]


def clients(nodes):
    servers = [node.address for node in nodes]
    pylibmc = PyLibMCCache(servers, {"KEY_PREFIX": "ring", "OPTIONS": PYLIBMC_OPTIONS})
    pymemcache = StrictPyMemcacheCache(
        servers, {"KEY_PREFIX": "ring", "OPTIONS": PYMEMCACHE_OPTIONS}
    )
    return pylibmc, pymemcache


def holders(nodes, keys):
    """``{key: the address of each node holding it}``, read on every node in batches."""
    held = {key: [] for key in keys}
    for node in nodes:
        client = Client((node.host, node.port), no_delay=True)
        try:
            for start in range(0, len(keys), 500):
                for key in client.get_many(keys[start : start + 500]):
                    held[key.decode() if isinstance(key, bytes) else key].append(node.address)
        finally:
            client.close()
    return held


def placed_by(cache, nodes, name):
    """Write KEYS keys through ``cache``; return where each one landed."""
    keys = [f"{name}-{n}" for n in range(KEYS)]
    for start in range(0, KEYS, 500):
        assert cache.set_many(dict.fromkeys(keys[start : start + 500], 1)) == []
    landed = holders(nodes, [cache.make_key(key) for key in keys])
    assert all(len(where) == 1 for where in landed.values())
    return [where[0] for where in landed.values()]


@pytest.mark.pylibmc
@pytest.mark.parametrize("daemons", ["three_nodes", "on_the_default_port"])
def test_ten_thousand_keys_land_on_the_same_node_under_both_clients(daemons, request):
    nodes = request.getfixturevalue(daemons)
    pylibmc, pymemcache = clients(nodes)
    by_pylibmc = placed_by(pylibmc, nodes, "key")
    for node in nodes:
        node.flush()
    by_pymemcache = placed_by(pymemcache, nodes, "key")
    same = sum(a == b for a, b in zip(by_pylibmc, by_pymemcache, strict=True))
    assert same == KEYS  # 100 %, or the ring is not libmemcached's
    # A control: the keys are spread over all three nodes, so agreeing was not trivial.
    assert {by_pylibmc.count(node.address) > KEYS / 6 for node in nodes} == {True}


def test_a_node_left_out_moves_only_its_own_keys(three_nodes):
    """Consistent hashing, as a cluster loses a node from its list: the keys of the other
    nodes keep their places."""
    ring = LibmemcachedKetama()
    for node in three_nodes:
        ring.add_node(node.address)
    keys = [f"key-{n}" for n in range(1000)]
    before = {key: ring.get_node(key) for key in keys}
    ring.remove_node(three_nodes[0].address)
    after = {key: ring.get_node(key) for key in keys}
    moved = {key for key in keys if before[key] != after[key]}
    assert moved == {key for key in keys if before[key] == three_nodes[0].address}
    assert 0 < len(moved) < len(keys)


def test_one_at_a_time_matches_libhashkit():
    # Jenkins' published one-at-a-time values, which libhashkit's "default" hash computes:
    # "a" -> 0xca2e9442, "The quick brown fox jumps over the lazy dog" -> 0x519e91f5.
    assert one_at_a_time(b"a") == 0xCA2E9442
    assert one_at_a_time(b"The quick brown fox jumps over the lazy dog") == 0x519E91F5


VALUES = {
    "session": {"_auth_user_id": "7", "_session_expiry": 1209600, "note": "é"},
    "text": "caf\u00e9",
    "bytes": b"\x00\xff raw",
    "int": 42,
    "big-int": 2**70,
    "none": None,
    "float": 2.5,
    "list": [1, "two", {"three": 3}],
}


@pytest.mark.pylibmc
@pytest.mark.parametrize(
    ("writer", "reader"), [(0, 1), (1, 0)], ids=["pylibmc-to-pymemcache", "pymemcache-to-pylibmc"]
)
def test_each_client_reads_what_the_other_wrote(three_nodes, writer, reader):
    both = clients(three_nodes)
    for name, value in VALUES.items():
        assert both[writer].set(name, value) is None
    read = both[reader].get_many(list(VALUES))
    assert read == VALUES
    assert {name: type(value) for name, value in read.items()} == {
        name: type(value) for name, value in VALUES.items()
    }
    # The one difference: pylibmc stores a bare bool as memcached's integer "1", which
    # pymemcache reads back as 1 (pymemcache pickles bools, so pylibmc reads True). The site
    # caches no bare bool: booleans travel inside pickled values, as above.
    both[writer].set("flag", True)
    assert both[reader].get("flag") == 1
    assert type(both[reader].get("flag")) is (int if writer == 0 else bool)
    # Counters too: the throttles' incr on one client, read and incremented on the other.
    both[writer].set("count", 1)
    assert both[reader].incr("count") == 2
    assert both[writer].get("count") == 2


@pytest.mark.pylibmc
@pytest.mark.parametrize(
    "engine", ["sessions_backend.backends.cache", "sessions_backend.backends.cached_db"]
)
@pytest.mark.django_db
def test_a_session_saved_through_one_client_loads_through_the_other_and_back(
    three_nodes, settings, engine
):
    from importlib import import_module

    servers = [node.address for node in three_nodes]
    on = {
        "pylibmc": {
            "BACKEND": "django.core.cache.backends.memcached.PyLibMCCache",
            "OPTIONS": PYLIBMC_OPTIONS,
        },
        "pymemcache": {
            "BACKEND": "sessions_backend.clients.StrictPyMemcacheCache",
            "OPTIONS": PYMEMCACHE_OPTIONS,
        },
    }

    def use(client):
        settings.CACHES = {
            **settings.CACHES,
            settings.SESSION_CACHE_ALIAS: {
                **on[client],
                "LOCATION": servers,
                "KEY_PREFIX": "sessions",
            },
        }

    store_class = import_module(engine).SessionStore
    use("pylibmc")
    written: SessionBase = store_class()
    written["cart"] = ["tea"]
    written.save(must_create=True)
    use("pymemcache")
    read = store_class(written.session_key)
    assert read.load() == {"cart": ["tea"]}
    read["cart"] = ["tea", "cups"]
    read.save()
    use("pylibmc")
    assert store_class(written.session_key).load() == {"cart": ["tea", "cups"]}
    # Exactly one node holds it, the same whichever client wrote last.
    key = f"sessions:1:{store_class.cache_key_prefix}{written.session_key}"
    assert sum(node.holds(key) for node in three_nodes) == 1

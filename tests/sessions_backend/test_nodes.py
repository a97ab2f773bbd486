"""Nodes that fail fast (sessions_backend.nodes), on both clients, against real memcached
daemons behind a proxy that turns slow or silent (tests/support/faults.py)."""

import threading
import time

import pytest

from sessions_backend import nodes
from sessions_backend.clients import FailFastPyLibMCCache, StrictPyMemcacheCache, client_errors
from sessions_backend.nodes import NODES, NodeSkipped
from tests.support.faults import FaultyProxy

#: Each client as the site configures it: 250 ms to connect and to wait for an answer.
CLIENTS = {
    "pylibmc": (
        FailFastPyLibMCCache,
        {
            "binary": False,
            "behaviors": {
                "tcp_nodelay": True,
                "ketama": True,
                "connect_timeout": 250,
                "_poll_timeout": 250,
                "retry_timeout": 2,
            },
        },
    ),
    "pymemcache": (
        StrictPyMemcacheCache,
        {
            "no_delay": True,
            "connect_timeout": 0.25,
            "timeout": 0.25,
            "hasher": "sessions_backend.ring.LibmemcachedKetama",
        },
    ),
}
TIMEOUT = 0.25


@pytest.fixture(params=CLIENTS)
def make_cache(request):
    backend, options = CLIENTS[request.param]

    def make(*nodes_):
        servers = [node.address for node in nodes_]
        return backend(servers, {"KEY_PREFIX": "t", "OPTIONS": options})

    return make


@pytest.fixture
def proxy(memcached):
    with FaultyProxy(memcached()) as proxy:
        yield proxy


def timed(call, *args):
    started = time.perf_counter()
    try:
        return call(*args), time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - returned, for the test to look at
        return exc, time.perf_counter() - started


def test_a_silent_node_costs_one_timeout_then_is_skipped_at_once(make_cache, proxy):
    cache = make_cache(proxy)
    assert cache.set("k", "v") is None
    proxy.mode = "silent"
    first, waited = timed(cache.get, "k")
    assert isinstance(first, client_errors(cache))
    assert TIMEOUT * 0.8 <= waited < 2
    assert proxy.address in NODES.skipped
    for _ in range(20):
        again, waited = timed(cache.get, "k")
        assert isinstance(again, NodeSkipped)
        assert waited < 0.02


def test_every_client_of_the_process_skips_it(make_cache, proxy):
    """Django makes a cache object, and a client, per thread: one learns for all."""
    make_cache(proxy).set("k", "v")
    proxy.mode = "silent"
    timed(make_cache(proxy).get, "k")
    answers = []
    thread = threading.Thread(target=lambda: answers.append(timed(make_cache(proxy).get, "k")))
    thread.start()
    thread.join()
    [(answer, waited)] = answers
    assert isinstance(answer, NodeSkipped)
    assert waited < 0.02


def test_the_other_nodes_keys_are_served_meanwhile(make_cache, proxy, memcached):
    healthy = memcached()
    cache = make_cache(healthy, proxy)
    keys = [f"key-{n}" for n in range(40)]
    for key in keys:
        cache.set(key, key)
    proxy.mode = "silent"
    results = {key: timed(cache.get, key) for key in keys}
    served = [key for key, (value, _) in results.items() if value == key]
    refused = [k for k, (value, _) in results.items() if isinstance(value, client_errors(cache))]
    assert served  # ketama spread the keys over both nodes
    assert refused
    assert len(served) + len(refused) == len(keys)
    # One call waited out the timeout; every other answered at once.
    slow = [key for key, (_, waited) in results.items() if waited >= TIMEOUT * 0.8]
    assert len(slow) == 1


def test_probed_again_after_the_skip_and_back_when_it_answers(make_cache, proxy, monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.3)
    cache = make_cache(proxy)
    cache.set("k", "v")
    proxy.mode = "silent"
    timed(cache.get, "k")
    proxy.mode = "healthy"
    assert isinstance(timed(cache.get, "k")[0], NodeSkipped)
    time.sleep(0.35)
    value, waited = timed(cache.get, "k")  # the probe
    assert (value, proxy.address in NODES.skipped) == ("v", False)
    assert waited < TIMEOUT


def test_a_probe_that_fails_skips_it_again(make_cache, proxy, monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.3)
    cache = make_cache(proxy)
    cache.set("k", "v")
    proxy.mode = "silent"
    timed(cache.get, "k")
    time.sleep(0.35)
    probe, waited = timed(cache.get, "k")
    assert isinstance(probe, client_errors(cache))
    assert not isinstance(probe, NodeSkipped)
    assert waited >= TIMEOUT * 0.8
    assert isinstance(timed(cache.get, "k")[0], NodeSkipped)


def test_late_answers_in_a_row_skip_it(make_cache, proxy):
    cache = make_cache(proxy)
    cache.set("k", "v")
    proxy.mode, proxy.delay = "late", 0.15  # inside the timeout, past LATE_SECONDS
    for _ in range(nodes.LATE_IN_A_ROW):
        assert timed(cache.get, "k")[0] == "v"
    assert proxy.address in NODES.skipped
    assert isinstance(timed(cache.get, "k")[0], NodeSkipped)


def test_an_answer_in_time_resets_the_count_of_late_ones(make_cache, proxy):
    cache = make_cache(proxy)
    cache.set("k", "v")
    for _ in range(3):
        proxy.mode, proxy.delay = "late", 0.15
        for _ in range(nodes.LATE_IN_A_ROW - 1):
            assert timed(cache.get, "k")[0] == "v"
        proxy.mode = "healthy"
        assert timed(cache.get, "k")[0] == "v"
    assert NODES.skipped == {}


# The one interleaving NODES has: two calls reaching a node whose skip has run out.


def test_when_the_skip_runs_out_one_call_probes_and_the_others_keep_skipping(monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.05)
    NODES.failed("10.0.0.9:11211", "a test")
    time.sleep(0.06)
    NODES.check("10.0.0.9:11211")  # the first: let through, to probe
    with pytest.raises(NodeSkipped):
        NODES.check("10.0.0.9:11211")  # the second, before the probe's answer
    NODES.answered("10.0.0.9:11211", 0.001)  # the probe's answer
    NODES.check("10.0.0.9:11211")
    assert NODES.skipped == {}


def test_when_the_skip_runs_out_a_failed_probe_and_a_late_check(monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.05)
    NODES.failed("10.0.0.9:11211", "a test")
    time.sleep(0.06)
    NODES.check("10.0.0.9:11211")  # the probe
    NODES.failed("10.0.0.9:11211", "the probe timed out")
    with pytest.raises(NodeSkipped):
        NODES.check("10.0.0.9:11211")

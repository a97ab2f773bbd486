"""Nodes that fail fast (sessions_backend.nodes), on both clients, against real memcached
daemons behind a proxy that turns slow or silent (tests/support/faults.py)."""

import threading
import time

import pytest

from sessions_backend import nodes
from sessions_backend.clients import FailFastPyLibMCCache, StrictPyMemcacheCache, client_errors
from sessions_backend.nodes import NODES, NodeSkipped
from tests.support.faults import FaultyProxy
from tests.support.waiting import wait_for

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
#: "At once": well under the timeout. Not less: the proxy's threads share this process's
#: GIL, and a call that waits its turn for it takes tens of ms on a busy machine.
AT_ONCE = 0.1


@pytest.fixture(params=[pytest.param("pylibmc", marks=pytest.mark.pylibmc), "pymemcache"])
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
        assert waited < AT_ONCE


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
    assert waited < AT_ONCE


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


@pytest.fixture
def skipped(make_cache, proxy, monkeypatch):
    """A cache whose one node went silent and is skipped, probed every 0.3 s."""
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.3)
    cache = make_cache(proxy)
    cache.set("k", "v")
    proxy.mode = "silent"
    timed(cache.get, "k")
    assert proxy.address in NODES.skipped
    return cache


def test_probed_in_the_background_and_back_when_it_answers(skipped, proxy):
    cache = skipped
    proxy.mode = "healthy"
    # Calls keep failing at once, past the skip too: the probe runs beside them, and the
    # first call after its answer finds the node back.
    answers = [timed(cache.get, "k")]
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and answers[-1][0] != "v":
        time.sleep(0.01)  # a request every 10 ms, not a busy loop of exceptions
        answers.append(timed(cache.get, "k"))
    assert isinstance(answers[0][0], NodeSkipped)
    assert all(isinstance(answer, NodeSkipped) for answer, _ in answers[:-1])
    # Never waiting for the node: under its timeout (the probe's thread and the proxy's
    # share the GIL with these calls here, which cost up to ~0.1 s under load).
    assert [(a, w) for a, w in answers if a != "v" and w >= TIMEOUT * 0.8] == []
    wait_for(lambda: proxy.address not in NODES.skipped, seconds=5, what="the node back")
    value, waited = timed(cache.get, "k")
    assert value == "v"
    assert waited < TIMEOUT


def test_a_probe_that_fails_leaves_it_skipped(skipped, proxy):
    cache = skipped
    time.sleep(0.35)
    answer, waited = timed(cache.get, "k")  # starts the probe, and does not wait for it
    assert isinstance(answer, NodeSkipped)
    assert waited < AT_ONCE
    wait_for(lambda: not NODES.probing, seconds=5, what="the probe's end")
    assert proxy.address in NODES.skipped
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


# The interleavings NODES has: calls reaching a node whose skip has run out, and its probe.


class HeldProbe:
    """A probe that answers when the test says, and counts how often it was asked."""

    def __init__(self):
        self.asked, self.answer, self.release = 0, None, threading.Event()

    def __call__(self, node):
        self.asked += 1
        self.release.wait(5)
        return self.answer


def expired(probe, monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.05)
    record = nodes.Nodes(probe=probe)
    record.failed("10.0.0.9:11211", "a test")
    time.sleep(0.06)
    return record


@pytest.mark.parametrize("answer", [True, False])
def test_calls_at_the_end_of_a_skip_start_one_probe_and_keep_skipping(monkeypatch, answer):
    probe = HeldProbe()
    record = expired(probe, monkeypatch)
    for _ in range(3):  # the first starts the probe; the others find it running
        with pytest.raises(NodeSkipped):
            record.check("10.0.0.9:11211")
    probe.answer = answer
    probe.release.set()
    wait_for(lambda: not record.probing, seconds=5, what="the probe's end")
    assert probe.asked == 1
    if answer:
        record.check("10.0.0.9:11211")  # back: no exception
        assert record.skipped == {}
    else:
        assert "10.0.0.9:11211" in record.skipped
        with pytest.raises(NodeSkipped):
            record.check("10.0.0.9:11211")


def test_a_failure_while_the_probe_runs_outlives_a_probe_that_failed(monkeypatch):
    probe = HeldProbe()
    record = expired(probe, monkeypatch)
    with pytest.raises(NodeSkipped):
        record.check("10.0.0.9:11211")
    record.failed("10.0.0.9:11211", "another client's late answers")
    probe.answer = False
    probe.release.set()
    wait_for(lambda: not record.probing, seconds=5, what="the probe's end")
    with pytest.raises(NodeSkipped):
        record.check("10.0.0.9:11211")


def test_a_probe_that_breaks_leaves_the_node_skipped(monkeypatch, caplog):
    def broken(node):
        raise RuntimeError("a bug in the probe")

    record = expired(broken, monkeypatch)
    with pytest.raises(NodeSkipped):
        record.check("10.0.0.9:11211")
    wait_for(lambda: not record.probing, seconds=5, what="the probe's end")
    assert "10.0.0.9:11211" in record.skipped
    assert "probing memcached node 10.0.0.9:11211 failed" in caplog.text


def test_the_probe_asks_a_real_node_for_its_version(proxy):
    assert nodes.answers_in_time(proxy.address) is True
    proxy.mode = "late"
    proxy.delay = TIMEOUT + 0.1
    assert nodes.answers_in_time(proxy.address) is False
    proxy.mode = "silent"
    assert nodes.answers_in_time(proxy.address) is False
    proxy.mode = "healthy"
    assert nodes.answers_in_time(proxy.address) is True

"""httpauth.read_ahead: the keys of one request read in one round trip, each handed out once.

Round trips are counted by a proxy in front of the real memcached (tests/support/faults.py),
which notes each command the client sends: a multi-get is one command naming every key.
"""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from httpauth import read_ahead
from tests.support.caches import use_daemon
from tests.support.faults import FaultyProxy


@pytest.fixture
def proxy(settings, memcached_objects):
    with FaultyProxy(memcached_objects) as proxy:
        use_daemon(settings, "default", proxy)
        yield proxy


def retrievals(proxy):
    return [command for command in proxy.commands if command.split()[0] in {"get", "gets"}]


def test_keys_are_read_in_one_command_and_each_taken_once(proxy):
    cache = caches["default"]
    cache.set("one", 1)
    cache.set("two", (b"<rss/>", "application/rss+xml"))
    request = RequestFactory().get("/")
    proxy.commands.clear()

    read_ahead.read(request, ["one", None, "two", "absent", "one"])

    [command] = retrievals(proxy)
    assert command.split()[1:] == [cache.make_key(key) for key in ("one", "two", "absent")]
    assert read_ahead.take(request, "one", cache.get) == 1
    assert read_ahead.take(request, "two", cache.get) == (b"<rss/>", "application/rss+xml")
    assert read_ahead.take(request, "absent", cache.get) is None  # a miss read ahead: no read
    assert len(retrievals(proxy)) == 1
    # Asked again, or never read ahead: the cache answers, now.
    cache.set("one", 2)
    assert read_ahead.take(request, "one", cache.get) == 2
    assert read_ahead.take(request, "never", lambda key: f"read {key}") == "read never"
    assert len(retrievals(proxy)) == 2


def test_no_keys_no_round_trip(proxy):
    request = RequestFactory().get("/")
    read_ahead.read(request, [None])
    assert retrievals(proxy) == []
    assert read_ahead.take(request, "one", lambda key: "asked") == "asked"


def test_when_the_cache_fails_every_key_is_a_miss(stop_cluster):
    stop_cluster("default")
    request = RequestFactory().get("/")
    read_ahead.read(request, ["one", "two"])
    assert read_ahead.take(request, "one", lambda key: "asked") is None
    assert read_ahead.take(request, "two", lambda key: "asked") is None


def test_what_is_read_ahead_stays_with_its_request(proxy):
    caches["default"].set("one", 1)
    first, second = RequestFactory().get("/"), RequestFactory().get("/")
    read_ahead.read(first, ["one"])
    assert read_ahead.take(second, "one", lambda key: "its own read") == "its own read"
    assert read_ahead.take(first, "one", lambda key: "asked") == 1

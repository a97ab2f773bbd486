"""httpauth.read_ahead: the keys of one request read in one round trip, each handed out once.

Round trips are counted by a proxy in front of the real memcached (tests/support/faults.py),
which notes each command the client sends: a multi-get is one command naming every key.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, RequestFactory

from httpauth import credential_cache, read_ahead, throttle
from tests.support.caches import use_daemon
from tests.support.faults import FaultyProxy
from tests.support.users import PASSWORD, basic, signed_in


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


@pytest.mark.parametrize("path", ["/read-ahead/", "/read-ahead-async/", "/read-ahead-class/"])
def test_a_views_keys_are_read_with_httpauths_own_in_one_round_trip(alice, proxy, path):
    """The decorators' ``read_ahead`` and the mixin's ``basic_auth_read_ahead``, sync and
    async: on a warm Basic request, the throttle's copy, the remembered password and the
    view's key in one get; the view takes its value without another read."""
    cache = caches["default"]
    cache.set("kept", "a rendering")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert reader.get(path).status_code == 200  # verified in full, then remembered
    proxy.commands.clear()
    response = reader.get(path)
    assert response.status_code == 200
    assert response.content == b"user=alice kept=a rendering"
    [command] = retrievals(proxy)
    assert command.split()[1:] == [
        cache.make_key(key) for key in (throttle.key(response.wsgi_request), remembered(), "kept")
    ]


def test_a_session_reads_nothing_ahead(alice, proxy):
    caches["default"].set("kept", "a rendering")
    browser = signed_in(alice)
    proxy.commands.clear()
    response = browser.get("/read-ahead/")
    assert response.content == b"user=alice kept=a rendering"
    assert [command.split()[1:] for command in retrievals(proxy)] == [
        [caches["default"].make_key("kept")]
    ]


def remembered():
    """The credential cache's key for alice's password, as it stands."""
    alice = get_user_model().objects.get(username="alice")
    return credential_cache.key("alice", PASSWORD, alice)

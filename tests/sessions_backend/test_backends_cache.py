"""sessions_backend.backends.cache: round trips, isolation and the outage rule."""

import logging
from importlib import import_module

import pytest
from django.contrib.sessions.backends.cache import SessionStore as DjangoCacheStore

from sessions_backend.outage import SessionStoreUnavailable
from tests.support.caches import use_daemon
from tests.support.waiting import wait_for


def round_trips(daemon, request_like):
    """Run ``request_like()`` and return how many gets and stores memcached saw."""
    before = daemon.stats()
    request_like()
    after = daemon.stats()
    return after["cmd_get"] - before["cmd_get"], after["cmd_set"] - before["cmd_set"]


def test_load_and_save_cost_one_get_and_one_store(CacheStore, memcached_sessions):
    store = CacheStore()
    store["n"] = 0
    store.save()
    key = store.session_key

    def request_like():
        session = CacheStore(key)
        session["n"] = session["n"] + 1
        session.save()

    assert round_trips(memcached_sessions, request_like) == (1, 1)
    assert CacheStore(key)["n"] == 1


def test_djangos_engine_costs_two_gets_and_one_store(settings, memcached_sessions):
    store = DjangoCacheStore()
    store["n"] = 0
    store.save()

    def request_like():
        session = DjangoCacheStore(store.session_key)
        session["n"] = session["n"] + 1
        session.save()

    assert round_trips(memcached_sessions, request_like) == (2, 1)


def test_switching_from_djangos_cache_engine_signs_nobody_out(CacheStore, settings):
    django_session = DjangoCacheStore()
    django_session["_auth_user_id"] = "7"
    django_session.save()
    assert CacheStore(django_session.session_key)["_auth_user_id"] == "7"


def test_create_does_not_ask_whether_a_key_exists(CacheStore, memcached_sessions):
    store = CacheStore()
    # One add, no get: add() itself refuses an existing key.
    assert round_trips(memcached_sessions, store.create) == (0, 1)


def test_a_full_cluster_refuses_new_sessions_clearly(CacheStore, memcached, settings):
    # --disable-evictions, as docker-compose.yml runs the sessions node: full means refuse.
    full = memcached(2, "--disable-evictions")
    use_daemon(settings, settings.SESSION_CACHE_ALIAS, full)

    def fill():
        for _ in range(100_000):
            CacheStore().create()  # sessions of one size until memcached is full

    with pytest.raises(SessionStoreUnavailable, match=r"out of memory|error 48"):
        fill()
    with pytest.raises(SessionStoreUnavailable, match=r"^add: "):
        CacheStore().create()


# The outage rule, against a sessions memcached that has stopped.


@pytest.fixture
def outage_keys(CacheStore, memcached, settings):
    """A session saved on a sessions memcached that then stops."""
    daemon = memcached()
    use_daemon(settings, settings.SESSION_CACHE_ALIAS, daemon)
    store = CacheStore()
    store["_auth_user_id"] = "1"
    store.save()
    daemon.stop()
    return store.session_key, daemon


def test_a_failed_load_is_an_anonymous_request_that_keeps_its_key(
    CacheStore, outage_keys, store_failures
):
    key, _daemon = outage_keys
    store = CacheStore(key)
    assert store.get("_auth_user_id") is None
    assert store.session_key == key  # the cookie stays: the session is back with the cluster
    assert store.is_empty() is False
    assert store_failures["load"] == 1


def test_a_save_after_a_failed_load_refuses(CacheStore, outage_keys):
    key, _daemon = outage_keys
    store = CacheStore(key)
    store["x"] = 1
    with pytest.raises(SessionStoreUnavailable):
        store.save()


def test_creating_and_deleting_refuse_while_down(CacheStore, outage_keys):
    key, _daemon = outage_keys
    with pytest.raises(SessionStoreUnavailable):
        CacheStore().create()
    with pytest.raises(SessionStoreUnavailable):
        CacheStore(key).delete()


def test_outage_warnings_are_rate_limited_and_counted(
    CacheStore, outage_keys, caplog, store_failures
):
    key, _daemon = outage_keys
    with caplog.at_level(logging.WARNING, logger="sessions_backend"):
        for _ in range(25):
            CacheStore(key).load()
    warnings = [r.getMessage() for r in caplog.records if r.name == "sessions_backend"]
    assert len(warnings) == 1
    assert warnings[0].startswith("sessions cluster unavailable: load failed (get: ")
    assert warnings[0].endswith("; this request goes on signed out")
    assert store_failures["load"] == 25


def test_sessions_resume_when_the_cluster_returns(CacheStore, outage_keys):
    _key, daemon = outage_keys
    daemon.start()  # a restarted memcached is empty: old sessions are gone, new ones work

    def saved_session():
        store = CacheStore()
        store["back"] = True
        try:
            store.save()
        except SessionStoreUnavailable:
            return None
        return store

    store = wait_for(saved_session, what="a session saved")
    assert CacheStore(store.session_key)["back"] is True


def test_uses_djangos_cache_keys():
    store = import_module("sessions_backend.backends.cache").SessionStore
    assert store.cache_key_prefix == "django.contrib.sessions.cache"

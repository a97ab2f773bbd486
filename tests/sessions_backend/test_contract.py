"""The SessionBase contract, for both engines, sync and async, against real memcached.

The same behaviours Django's own engines promise: a project can switch SESSION_ENGINE to
either of ours and see no difference but speed and outage behaviour.
"""

import string
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from tests.support.caches import holds_under_any_alias


def saved(SessionStore, **data):
    store = SessionStore()
    store.update(data)
    store.save()
    return store


def test_new_session_is_neither_accessed_nor_modified(session):
    assert session.modified is False
    assert session.accessed is False
    assert session.session_key is None


def test_get_of_a_missing_key_is_none(session):
    assert session.get("cat") is None


def test_store_and_pop_mark_the_session_modified(session):
    session["cat"] = "dog"
    assert session.modified is True
    assert session.pop("cat") == "dog"
    assert session.get("cat") is None


def test_pop_with_a_default_does_not_modify(session):
    assert session.pop("missing", "default") == "default"
    assert session.accessed is True
    assert session.modified is False


def test_setdefault_and_update(session):
    assert session.setdefault("a", 1) == 1
    assert session.setdefault("a", 2) == 1
    session.update({"b": 2})
    assert dict(session.items()) == {"a": 1, "b": 2}
    assert session.modified is True


def test_reading_does_not_modify(session):
    session["x"] = 1
    session.modified = session.accessed = False
    assert "x" in session
    assert list(session.keys()) == ["x"]
    assert list(session.values()) == [1]
    assert session.accessed is True
    assert session.modified is False


def test_clear_empties_and_modifies(session):
    session["x"] = 1
    session.modified = False
    session.clear()
    assert list(session.items()) == []
    assert session.modified is True


def test_save_then_exists_then_load_in_another_store(SessionStore):
    store = saved(SessionStore, cat="dog")
    assert store.exists(store.session_key) is True
    assert SessionStore(store.session_key)["cat"] == "dog"


def test_save_updates_an_existing_session(SessionStore):
    store = saved(SessionStore, n=1)
    again = SessionStore(store.session_key)
    again["n"] = 2
    again.save()
    assert SessionStore(store.session_key)["n"] == 2


def test_delete_removes_the_session(SessionStore):
    store = saved(SessionStore, cat="dog")
    store.delete()
    assert store.exists(store.session_key) is False
    assert SessionStore(store.session_key).get("cat") is None


def test_delete_of_an_unknown_key_is_silent(session):
    session.delete("nosuchsessionkey00000000000000000")
    session.delete()  # no key at all


def test_flush_deletes_and_forgets_the_key(SessionStore):
    store = saved(SessionStore, cat="dog")
    old_key = store.session_key
    store.flush()
    assert store.exists(old_key) is False
    assert store.session_key is None
    assert store.modified is True
    assert store.accessed is True


def test_cycle_key_keeps_the_data_under_a_new_key(SessionStore):
    store = saved(SessionStore, a="c", b="d")
    old_key = store.session_key
    store.cycle_key()
    assert store.session_key != old_key
    assert dict(store.items()) == {"a": "c", "b": "d"}
    assert store.exists(old_key) is False
    store.save()
    assert dict(SessionStore(store.session_key).items()) == {"a": "c", "b": "d"}


def test_unknown_key_is_replaced_by_a_fresh_one_on_save(SessionStore):
    # A key the server never issued must not be adopted (session fixation).
    chosen = "attackerchosenkey0000000000000000"
    store = SessionStore(chosen)
    assert store.get("cat") is None
    store["cat"] = "dog"
    store.save()
    assert store.session_key not in (None, chosen)
    assert store.exists(chosen) is False


def test_too_short_key_is_no_key(SessionStore):
    store = SessionStore("1")
    assert store.session_key is None
    store.save()
    assert store.session_key is not None


def test_session_key_is_read_only(session):
    with pytest.raises(AttributeError):
        session.session_key = "abcdefghijklmnopqrstuvwxyz012345"


@pytest.mark.parametrize(
    "key",
    [
        (string.ascii_letters + string.digits) * 20,  # longer than memcached's 250 bytes
        "has spaces and\ncontrol characters 123",  # what memcached refuses in a key
        # Under 250 characters, over 250 bytes: Django's own key check lets them through.
        "é" * 120,
        "\xff" * 100,
        "\N{GRINNING FACE}" * 60,
    ],
    ids=["overlong", "invalid-characters", "two-byte", "latin-1", "emoji"],
)
def test_keys_memcached_cannot_hold_name_no_session(SessionStore, key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.exists(key) is False
    store["a"] = 1
    store.save()  # a new session, under a key of its own
    assert store.session_key != key
    assert SessionStore(store.session_key)["a"] == 1


def test_no_resurrection_a_save_after_a_delete_elsewhere_fails(SessionStore):
    first = saved(SessionStore, cat="dog")
    second = SessionStore(first.session_key)
    second["more"] = 1  # loads, then changes
    first.delete()  # e.g. signed out in another tab meanwhile
    with pytest.raises(UpdateError):
        second.save()
    assert first.exists(first.session_key) is False


def test_default_expiry_is_the_cookie_age(session, settings):
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    session.set_expiry(0)  # browser close: the stored age stays the cookie age
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    "expiry",
    [10, timedelta(seconds=10), "datetime"],
    ids=["seconds", "timedelta", "datetime"],
)
def test_custom_expiry(session, expiry):
    modification = timezone.now()
    if expiry == "datetime":
        expiry = modification + timedelta(seconds=10)
    session.set_expiry(expiry)
    if isinstance(expiry, timedelta):
        # set_expiry turns a timedelta into a date from "now": allow the clock to move.
        assert 9 <= session.get_expiry_age(modification=modification) <= 10
    else:
        assert session.get_expiry_age(modification=modification) == 10
        assert session.get_expiry_date(modification=modification) == modification + timedelta(
            seconds=10
        )


def test_expiry_reset(session, settings):
    session.set_expiry(10)
    session.set_expiry(None)
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize("browser_close", [False, True])
def test_expire_at_browser_close(session, browser_close):
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=browser_close):
        session.set_expiry(10)
        assert session.get_expire_at_browser_close() is False
        session.set_expiry(0)
        assert session.get_expire_at_browser_close() is True
        session.set_expiry(None)
        assert session.get_expire_at_browser_close() is browser_close


def test_a_session_past_its_expiry_does_not_load(SessionStore):
    store = SessionStore()
    store["foo"] = "bar"
    store.set_expiry(-10)
    store.save()
    assert "foo" not in SessionStore(store.session_key)


@pytest.mark.slow
def test_the_store_forgets_a_session_when_it_expires(SessionStore):
    store = SessionStore()
    store["foo"] = "bar"
    store.set_expiry(1)
    store.save()
    assert SessionStore(store.session_key)["foo"] == "bar"
    time.sleep(2.1)  # memcached counts whole seconds
    assert "foo" not in SessionStore(store.session_key)


def test_decode_reads_what_encode_wrote(session):
    data = {"a test key": "a test value"}
    assert session.decode(session.encode(data)) == data


def test_sessions_live_in_the_sessions_cluster_only(
    SessionStore, memcached_sessions, memcached_objects
):
    store = saved(SessionStore, cat="dog")
    stored = caches[settings.SESSION_CACHE_ALIAS].make_key(
        store.cache_key_prefix + store.session_key
    )
    assert memcached_sessions.holds(stored)
    assert not holds_under_any_alias(memcached_objects, store.cache_key_prefix + store.session_key)


def test_flushing_the_objects_cluster_keeps_every_session(SessionStore):
    keys = [saved(SessionStore, n=n).session_key for n in range(20)]
    caches["default"].clear()
    assert [SessionStore(key)["n"] for key in keys] == list(range(20))


# The async twins: the same behaviours through aload, asave, aexists, acreate, adelete,
# acycle_key, aflush.


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


def test_async_save_load_exists_delete(SessionStore):
    async def scenario():
        store = SessionStore()
        await store.aset("cat", "dog")
        await store.asave()
        key = store.session_key
        assert await store.aexists(key) is True
        assert await SessionStore(key).aget("cat") == "dog"
        await store.adelete()
        assert await store.aexists(key) is False
        assert await SessionStore(key).aget("cat") is None

    run(scenario)


def test_async_create_gives_a_stored_empty_session(SessionStore):
    async def scenario():
        store = SessionStore()
        await store.acreate()
        assert store.session_key is not None
        assert await store.aexists(store.session_key) is True
        assert store.modified is True

    run(scenario)


def test_async_cycle_key_and_flush(SessionStore):
    async def scenario():
        store = SessionStore()
        await store.aset("a", 1)
        await store.asave()
        first = store.session_key
        await store.acycle_key()
        assert store.session_key != first
        assert await store.aget("a") == 1
        assert await store.aexists(first) is False
        second = store.session_key
        await store.aflush()
        assert store.session_key is None
        assert await store.aexists(second) is False

    run(scenario)


def test_async_no_resurrection(SessionStore):
    async def scenario():
        first = SessionStore()
        await first.aset("cat", "dog")
        await first.asave()
        second = SessionStore(first.session_key)
        await second.aset("more", 1)
        await first.adelete()
        with pytest.raises(UpdateError):
            await second.asave()

    run(scenario)


def test_async_expiry(SessionStore, settings):
    async def scenario():
        store = SessionStore()
        assert await store.aget_expiry_age() == settings.SESSION_COOKIE_AGE
        await store.aset_expiry(10)
        assert await store.aget_expiry_age() == 10
        assert await store.aget_expire_at_browser_close() is False

    run(scenario)

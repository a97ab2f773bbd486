"""Each user's session list, in the real sessions cluster."""

import threading

import pytest
from django.test import RequestFactory

from sessions_backend import user_sessions

USER = 42


@pytest.fixture
def new_session(CacheStore):
    def make(user_id=USER):
        store = CacheStore()
        store["_auth_user_id"] = str(user_id)
        store.save()
        return store.session_key

    return make


def browser(ip="203.0.113.9", agent="Feedreader/1.0"):
    return RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


def listed_keys(user_id=USER):
    return {entry["key"] for entry in user_sessions.prune_and_list(user_id)}


def test_add_records_when_and_from_where(new_session):
    key = new_session()
    user_sessions.add(USER, key, 3600, browser())
    [entry] = user_sessions.prune_and_list(USER)
    assert entry["key"] == key
    assert entry["id"] == user_sessions.entry_id(key)
    assert key not in entry["id"]
    assert (entry["ip"], entry["user_agent"]) == ("203.0.113.9", "Feedreader/1.0")
    assert entry["created"] == entry["last_seen"]
    assert entry["expires"] == pytest.approx(entry["created"] + 3600)


def test_ip_and_user_agent_can_be_switched_off(new_session, settings):
    settings.SESSIONS_BACKEND_TRACK_IP = False
    settings.SESSIONS_BACKEND_TRACK_USER_AGENT = False
    user_sessions.add(USER, new_session(), 3600, browser())
    [entry] = user_sessions.prune_and_list(USER)
    assert (entry["ip"], entry["user_agent"]) == (None, None)


def test_touch_moves_last_seen_and_keeps_created(new_session):
    key = new_session()
    user_sessions.add(USER, key, 3600, browser())
    [before] = user_sessions.prune_and_list(USER)
    user_sessions.touch(USER, key, 7200, browser(ip="198.51.100.1"))
    [after] = user_sessions.prune_and_list(USER)
    assert after["created"] == before["created"]
    assert after["last_seen"] >= before["last_seen"]
    assert after["expires"] > before["expires"]
    assert after["ip"] == "198.51.100.1"


def test_rekey_moves_the_entry_to_the_new_key(new_session):
    old, new = new_session(), new_session()
    user_sessions.add(USER, old, 3600, browser())
    [before] = user_sessions.prune_and_list(USER)
    user_sessions.rekey(USER, old, new, 3600)
    [after] = user_sessions.prune_and_list(USER)
    assert after["key"] == new
    assert (after["created"], after["ip"]) == (before["created"], before["ip"])


def test_remove_drops_only_the_named_entries(new_session):
    keep, drop = new_session(), new_session()
    for key in (keep, drop):
        user_sessions.add(USER, key, 3600, browser())
    user_sessions.remove(USER, drop)
    assert listed_keys() == {keep}


def test_entries_of_vanished_or_expired_sessions_are_pruned(new_session, CacheStore):
    alive, vanished = new_session(), new_session()
    for key in (alive, vanished):
        user_sessions.add(USER, key, 3600, browser())
    user_sessions.add(USER, new_session(), -1, browser())  # already expired
    CacheStore().delete(vanished)
    assert listed_keys() == {alive}


def test_sign_out_all_ends_every_session_but_the_one_kept(new_session, CacheStore):
    keys = [new_session() for _ in range(3)]
    for key in keys:
        user_sessions.add(USER, key, 3600, browser())
    assert user_sessions.sign_out_all(USER, keep=keys[0]) == 2
    assert [CacheStore().exists(key) for key in keys] == [True, False, False]
    assert listed_keys() == {keys[0]}


def test_lists_of_two_users_are_apart(new_session):
    user_sessions.add(USER, new_session(), 3600, browser())
    user_sessions.add(USER + 1, new_session(USER + 1), 3600, browser())
    assert len(user_sessions.prune_and_list(USER)) == 1
    assert len(user_sessions.prune_and_list(USER + 1)) == 1


def test_concurrent_sign_ins_of_one_user_keep_every_entry(new_session):
    signing_in = 16
    keys = [new_session() for _ in range(signing_in)]
    start = threading.Barrier(signing_in)
    errors = []

    def sign_in(key):
        try:
            start.wait()  # all threads enter the gets/cas loop at the same moment
            user_sessions.add(USER, key, 3600, browser())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=sign_in, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert listed_keys() == set(keys)


def test_at_the_cap_a_sign_in_signs_out_the_least_recently_seen_session(
    new_session, settings, CacheStore
):
    settings.SESSIONS_BACKEND_MAX_SESSIONS = 3
    keys = [new_session() for _ in range(4)]
    for key in keys[:3]:
        user_sessions.add(USER, key, 3600, browser())
    user_sessions.touch(USER, keys[0], 3600, browser())  # seen again: keys[1] is now the oldest
    user_sessions.add(USER, keys[3], 3600, browser())
    assert listed_keys() == {keys[0], keys[2], keys[3]}
    assert CacheStore().exists(keys[1]) is False  # signed out, not only unlisted
    assert all(CacheStore().exists(key) for key in (keys[0], keys[2], keys[3]))

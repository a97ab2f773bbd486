"""Ending every session survives the loss of the list (SECURITY.md, finding 0).

A user's list of sessions lives on one node of the sessions cluster. Emptying that node (a
restart, a replacement) used to leave "sign out all other sessions" and the admin's "Sign out
everywhere" nothing to end: with the cache engine the sessions on the other node lived on,
with cached_db every one of them. accounts.User's session epoch ends them all.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from sessions_backend import user_sessions
from tests.users import PASSWORD, signed_in

SESSIONS = 8
ENGINES = ["sessions_backend.backends.cache", "sessions_backend.backends.cached_db"]


@pytest.fixture
def two_sessions_nodes(memcached, settings):
    """The sessions cluster as two memcached nodes of the test's own."""
    nodes = [memcached(), memcached()]
    alias = settings.SESSION_CACHE_ALIAS
    config = {**settings.CACHES[alias], "LOCATION": [node.address for node in nodes]}
    settings.CACHES = {**settings.CACHES, alias: config}
    return nodes


def signed_in_clients(count):
    alice = get_user_model().objects.get(username="alice")
    return [signed_in(alice, HTTP_USER_AGENT=f"Device/{n}") for n in range(count)]


def is_signed_in(client):
    return client.get("/account/").status_code == 200


def sessions_left_without_their_list(nodes, user, engine):
    """Sign ``user`` in SESSIONS times, then flush the node that holds their list; return the
    clients still signed in: those on the other node, or all of them with cached_db (its
    database keeps them)."""
    clients = signed_in_clients(SESSIONS)
    key = caches[django_settings.SESSION_CACHE_ALIAS].make_key(user_sessions._index_key(user.pk))
    [holder] = [node for node in nodes if node.holds(key)]
    holder.flush()
    assert user_sessions.prune_and_list(user.pk) == []  # the list is gone
    survivors = [client for client in clients if is_signed_in(client)]
    assert survivors, "the flush signed everyone out: nothing left to test"
    if engine.endswith("cached_db"):
        assert len(survivors) == SESSIONS
    return survivors


@pytest.mark.parametrize("engine", ENGINES)
def test_signing_out_the_others_ends_every_other_session_without_the_list(
    engine, settings, two_sessions_nodes, alice
):
    settings.SESSION_ENGINE = engine
    laptop, *others = sessions_left_without_their_list(two_sessions_nodes, alice, engine)

    response = laptop.post("/account/sessions/sign-out-others/", follow=True)

    assert response.status_code == 200
    assert "Every other session is signed out." in response.content.decode()
    assert [is_signed_in(client) for client in others] == [False] * len(others)
    assert is_signed_in(laptop)
    # The list holds the one session left, under the new key it took.
    assert [entry["key"] for entry in user_sessions.prune_and_list(alice.pk)] == [
        laptop.session.session_key
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_admins_sign_out_everywhere_ends_every_session_without_the_list(
    engine, settings, two_sessions_nodes, alice
):
    settings.SESSION_ENGINE = engine
    survivors = sessions_left_without_their_list(two_sessions_nodes, alice, engine)
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    admin = Client()
    admin.post("/accounts/login/", {"username": "root", "password": PASSWORD})

    response = admin.post(
        "/admin/accounts/user/",
        {"action": "sign_out_everywhere", "_selected_action": [alice.pk]},
        follow=True,
    )

    assert "Signed out 1 user everywhere." in response.content.decode()
    assert [is_signed_in(client) for client in survivors] == [False] * len(survivors)
    # Signing in again works, and the new session is listed.
    [again] = signed_in_clients(1)
    assert is_signed_in(again)
    assert len(user_sessions.prune_and_list(alice.pk)) == 1


def test_a_user_whose_sessions_never_ended_keeps_djangos_own_hash(alice):
    """Epoch 0 is Django's hash: adding the mixin to a live site signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    assert alice.session_epoch == 0
    assert alice.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(alice)
    alice.session_epoch = 1
    assert alice.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(alice)

"""Ending every session survives the loss of the list (SECURITY.md, finding 0).

A user's list of sessions lives on one node of the sessions cluster. Emptying that node (a
restart, a replacement) used to leave "sign out all other sessions" and the admin's "Sign out
everywhere" nothing to end: with the cache engine the sessions on the other node lived on,
with cached_db every one of them. accounts.User's session epoch ends them all.
"""

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from sessions_backend import user_sessions
from tests.support.users import PASSWORD, signed_in

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
    cache = caches[django_settings.SESSION_CACHE_ALIAS]
    clients = signed_in_clients(SESSIONS)
    [holder] = [
        node for node in nodes if node.holds(cache.make_key(user_sessions._index_key(user.pk)))
    ]

    def on_the_holder(client):
        prefix = import_module(engine).KEY_PREFIX
        return holder.holds(cache.make_key(prefix + client.cookies["sessionid"].value))

    # Each session's node follows from its random key: all of them on the list's node (1 in
    # 256) would leave the cache engine nothing to test. Sign in until one is elsewhere.
    while all(map(on_the_holder, clients)) and len(clients) < 8 * SESSIONS:
        clients += signed_in_clients(1)
    holder.flush()
    assert user_sessions.prune_and_list(user.pk) == []  # the list is gone
    survivors = [client for client in clients if is_signed_in(client)]
    assert survivors, "the flush signed everyone out: nothing left to test"
    if engine.endswith("cached_db"):
        assert len(survivors) == len(clients)
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


def test_a_stale_save_of_the_user_keeps_the_raised_epoch(alice):
    """SECURITY.md, third review, #6: a full save of an instance loaded before
    "sign out everywhere" wrote the old epoch back, and every ended session lived again."""
    stolen = signed_in(alice)
    stale = get_user_model().objects.get(pk=alice.pk)  # as the admin's change form loads it
    user_sessions.sign_out_everywhere(alice)
    stale.first_name = "Alice"
    stale.save()  # every field it holds, its epoch of 0 included, as a full save writes them
    fresh = get_user_model().objects.get(pk=alice.pk)
    assert (fresh.session_epoch, fresh.first_name) == (1, "Alice")
    assert not is_signed_in(stolen)
    # The control: only the F() update writes the epoch; update_fields naming it still does.
    stale.session_epoch = 7
    stale.save(update_fields=["session_epoch"])
    assert get_user_model().objects.get(pk=alice.pk).session_epoch == 7


def test_the_admins_change_form_saved_after_sign_out_everywhere_keeps_it(alice, monkeypatch):
    from accounts.admin import UserAdmin

    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    stolen = signed_in(alice)
    admin = signed_in(get_user_model().objects.get(username="root"))
    form = admin.get(f"/admin/accounts/user/{alice.pk}/change/")
    assert form.status_code == 200
    save_model = UserAdmin.save_model

    def saved_after_sign_out_everywhere(self, request, obj, form, change):
        # "Sign out everywhere" lands between the form's load of alice and its save.
        user_sessions.sign_out_everywhere(get_user_model().objects.get(pk=obj.pk))
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(UserAdmin, "save_model", saved_after_sign_out_everywhere)
    fields = form.context["adminform"].form.initial
    response = admin.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {
            "username": "alice",
            "email": fields["email"],
            "first_name": "Alice",
            "is_active": "on",
            "date_joined_0": fields["date_joined"].strftime("%Y-%m-%d"),
            "date_joined_1": fields["date_joined"].strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert get_user_model().objects.get(pk=alice.pk).first_name == "Alice"
    assert get_user_model().objects.get(pk=alice.pk).session_epoch == 1
    assert not is_signed_in(stolen)


def test_deactivation_ends_the_sessions_its_list_lost_too(two_sessions_nodes, alice, settings):
    settings.SESSION_ENGINE = ENGINES[1]  # cached_db: every session survives the list's loss
    survivors = sessions_left_without_their_list(two_sessions_nodes, alice, ENGINES[1])
    alice.is_active = False
    alice.save()
    alice.is_active = True
    alice.save()
    assert [is_signed_in(client) for client in survivors] == [False] * len(survivors)
    assert get_user_model().objects.get(pk=alice.pk).session_epoch == 1  # once, not per save


def test_deactivating_many_users_as_documented_ends_their_sessions_and_reader_access(alice, bob):
    from httpauth.models import AppPassword

    clients = [signed_in(alice), signed_in(bob)]
    AppPassword.issue(alice, "newsboat")
    for user in get_user_model().objects.filter(username__in=["alice", "bob"]):
        user.is_active = False
        user.save(update_fields=["is_active"])  # docs/sessions_backend.md's loop
    get_user_model().objects.update(is_active=True)  # reactivated in bulk, no signal
    assert [is_signed_in(client) for client in clients] == [False, False]
    assert not AppPassword.objects.filter(user=alice).exists()


def test_the_admins_sign_out_everywhere_says_what_feed_readers_keep(alice):
    """SECURITY.md, third review (its notes): the action left app passwords, secret addresses and
    Basic with the password working, and its name invited an admin to think otherwise."""
    from httpauth.models import AppPassword

    AppPassword.issue(alice, "newsboat")
    AppPassword.issue(alice, "NetNewsWire")
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    admin = signed_in(get_user_model().objects.get(username="root"))
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "sign_out_everywhere", "_selected_action": [alice.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Signed out 1 user everywhere." in html
    assert "Feed readers still read (2 app passwords)" in html
    assert "set a new password" in html
    assert AppPassword.objects.filter(user=alice).exists()  # as it says: they still read

"""Session lists follow sign-ins, sign-outs, password changes and deactivations."""

from importlib import import_module

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from sessions_backend import user_sessions
from tests.support.users import PASSWORD, signed_in

NEW_PASSWORD = "another horse battery staple"


def is_signed_in(client):
    return client.get("/").content == b"user=alice"


def listed(user):
    return {entry["key"] for entry in user_sessions.prune_and_list(user.pk)}


def test_each_sign_in_is_listed_with_its_browser(alice):
    laptop, phone = (
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
    )
    assert listed(alice) == {laptop.session.session_key, phone.session.session_key}
    assert {entry["user_agent"] for entry in user_sessions.prune_and_list(alice.pk)} == {
        "Browser/1.0"
    }


def test_sign_out_drops_the_entry(alice):
    laptop, phone = (
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
    )
    laptop.post("/accounts/logout/")
    assert listed(alice) == {phone.session.session_key}


def test_a_password_change_signs_out_the_other_sessions(alice):
    laptop, phone = (
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
        signed_in(alice, HTTP_USER_AGENT="Browser/1.0"),
    )
    response = laptop.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert listed(alice) == {laptop.session.session_key}


def test_a_password_set_elsewhere_signs_out_every_session(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Browser/1.0")
    alice.set_password(NEW_PASSWORD)  # a reset, the admin, changepassword
    alice.save()
    assert not is_signed_in(laptop)
    assert listed(alice) == set()


def test_a_password_hash_upgrade_at_sign_in_is_not_a_password_change(alice, settings):
    laptop = signed_in(alice, HTTP_USER_AGENT="Browser/1.0")
    weaker = PBKDF2PasswordHasher()
    alice.password = weaker.encode(PASSWORD, weaker.salt(), iterations=1000)
    alice.save()
    phone = signed_in(
        alice, HTTP_USER_AGENT="Browser/1.0"
    )  # check_password() upgrades the hash and saves the user
    alice.refresh_from_db()
    assert "$1000$" not in alice.password
    # Nothing was ended or dropped by us. (Django itself signs the laptop out at its next
    # request: its session carries a hash of the old password hash.)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    assert store.exists(laptop.session.session_key)
    assert listed(alice) == {laptop.session.session_key, phone.session.session_key}


def test_deactivating_a_user_ends_their_sessions_and_reactivating_revives_none(alice):
    """SECURITY.md, third review, #7: deactivation only suspended them."""
    laptop, phone = signed_in(alice), signed_in(alice)
    alice.is_active = False
    alice.save()
    assert listed(alice) == set()
    alice.is_active = True
    alice.save()
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    # The control: signing in again works.
    assert is_signed_in(signed_in(alice))

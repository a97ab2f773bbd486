"""Session lists follow sign-ins, sign-outs, password changes and deactivations."""

from importlib import import_module

from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.http import HttpResponse
from django.test import RequestFactory

from sessions_backend import user_sessions
from sessions_backend.middleware import SessionMiddleware, requesting_session
from tests.support.users import PASSWORD, make_user, signed_in

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


def test_a_password_change_keeps_this_sessions_entry_as_it_was(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Browser/1.0", REMOTE_ADDR="192.0.2.7")
    (before,) = user_sessions.prune_and_list(alice.pk)
    response = laptop.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    (after,) = user_sessions.prune_and_list(alice.pk)
    assert after["key"] == laptop.session.session_key != before["key"]  # the key moved on
    kept = ("created", "ip", "user_agent", "device")
    assert {name: after[name] for name in kept} == {name: before[name] for name in kept}
    assert after["ip"] == "192.0.2.7"
    assert after["user_agent"] == "Browser/1.0"


def changing_alices_password_during_a_request_of(client, alice):
    """Run a view that sets alice's password inside SessionMiddleware, on ``client``'s
    session (an admin's, say, or alice's own)."""

    def view(request):
        alice.set_password(NEW_PASSWORD)
        alice.save()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.COOKIES[django_settings.SESSION_COOKIE_NAME] = client.session.session_key
    SessionMiddleware(view)(request)
    assert requesting_session() is None  # reset once the request is answered


def test_someone_else_setting_a_users_password_keeps_none_of_their_sessions(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Browser/1.0")
    admin = signed_in(make_user("admin", is_staff=True), HTTP_USER_AGENT="Browser/1.0")
    changing_alices_password_during_a_request_of(admin, alice)
    assert not is_signed_in(laptop)
    assert listed(alice) == set()


def test_the_session_setting_its_own_password_keeps_its_entry(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Browser/1.0")
    phone = signed_in(alice, HTTP_USER_AGENT="Browser/1.0")
    changing_alices_password_during_a_request_of(laptop, alice)
    assert listed(alice) == {laptop.session.session_key}  # Django's hash check ends it later
    assert not is_signed_in(phone)


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

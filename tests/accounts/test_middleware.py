"""The hold: no page, the admin's included, opens to the password alone of a user with a
second factor; staff sent to enrol while ACCOUNTS_REQUIRE_MFA_FOR_STAFF is on."""

import pyotp
import pytest
from django.test import Client
from django.test.utils import override_settings
from django_otp_webauthn.models import WebAuthnCredential

from accounts.checks import HOLD
from tests.support.checks import run_checks
from tests.support.users import (
    PASSWORD,
    make_user,
    signed_in,
    verified,
    window_closed,
    with_authenticator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return make_user("root", is_staff=True, is_superuser=True)


def admin_signed_in(user):
    """Through the admin's own sign-in form, as gyrinx#2074's bypass did."""
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_the_admin_sign_in_with_the_password_alone_does_not_reach_the_admin(admin_user):
    with_authenticator(admin_user)
    client = admin_signed_in(admin_user)
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin_user.pk}/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/confirm/?next=/admin/"), path


def test_the_admin_opens_once_the_factor_is_used(admin_user):
    totp = with_authenticator(admin_user)
    client = admin_signed_in(admin_user)
    response = client.post("/accounts/confirm/", {"code": totp.now(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert b"Site administration" in page.content


def test_every_page_and_feed_is_held(alice):
    with_authenticator(alice)
    client = signed_in(alice)
    for path in ("/", "/account/sessions/", "/account/app-passwords/", "/status/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/confirm/"), path
    assert client.post("/account/app-passwords/", {"name": "x"}).status_code == 302


def test_a_user_without_a_factor_is_not_held(alice):
    client = signed_in(alice)
    assert client.get("/account/").status_code == 200


def test_a_verified_session_stays_verified(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    for _ in range(3):
        assert client.get("/account/").status_code == 200


@override_settings(ACCOUNTS_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_without_a_factor_are_sent_to_enrol_before_any_page(bob, alice):
    client = signed_in(bob)
    for path in ("/", "/admin/", "/status/", "/account/app-passwords/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/security/?next="), path
    assert client.get("/account/security/").status_code == 200
    assert client.get("/account/security/authenticator/").status_code == 200
    assert signed_in(alice).get("/account/").status_code == 200  # not staff


@override_settings(ACCOUNTS_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_who_enrol_reach_the_admin(bob):
    bob.is_superuser = True
    bob.save()
    client = signed_in(bob)
    page = client.get("/account/security/authenticator/")
    secret = page.context["secret"]
    response = client.post(
        "/account/security/authenticator/",
        {"name": "Phone", "code": pyotp.TOTP(secret).now()},
    )
    assert response.status_code == 200  # the recovery codes, once
    assert client.get("/admin/").status_code == 200


def test_the_hold_must_come_after_authentication(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != HOLD]
    errors = [e for e in run_checks(tags=["accounts"]) if e.id == "accounts.E002"]
    assert len(errors) == 1
    assert HOLD in errors[0].msg
    authentication = "django.contrib.auth.middleware.AuthenticationMiddleware"
    settings.MIDDLEWARE = [HOLD, *(m for m in settings.MIDDLEWARE)]
    assert [e.id for e in run_checks(tags=["accounts"])] == ["accounts.E002"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != HOLD]
    settings.MIDDLEWARE.insert(settings.MIDDLEWARE.index(authentication) + 1, HOLD)
    assert run_checks(tags=["accounts"]) == []


def test_a_held_session_is_listed_and_signed_out_like_any_other(alice):
    """The session list and "sign out the others" are unchanged: a session that has only the
    password shows there, and ends with the rest."""
    totp = with_authenticator(alice)
    held = signed_in(
        alice,
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    )
    mine = verified(alice, totp)
    page = mine.get("/account/sessions/")
    assert page.status_code == 200
    assert b"Firefox on Linux" in page.content
    assert mine.post("/account/sessions/sign-out-others/").status_code == 302
    response = held.get("/accounts/confirm/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert mine.get("/account/").status_code == 200


@override_settings(ACCOUNTS_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_who_must_enrol_confirm_with_the_password_once_the_window_closed(bob):
    client = signed_in(bob)
    window_closed(client)
    response = client.get("/account/security/authenticator/")
    assert response["Location"] == "/accounts/confirm/?next=/account/security/authenticator/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'autocomplete="current-password"' in page.content  # asked here, not sent on
    confirmed = client.post(
        "/accounts/confirm/",
        {"password": PASSWORD, "next": "/account/security/authenticator/"},
    )
    assert confirmed["Location"] == "/account/security/authenticator/"
    assert client.get("/account/security/authenticator/").status_code == 200


def test_a_passkey_alone_is_a_second_factor(alice):
    credential = WebAuthnCredential.objects.create(
        user=alice,
        name="Passkey",
        credential_id=b"\x01" * 16,
        public_key=b"\x02" * 77,
        sign_count=0,
        confirmed=True,
    )
    alice.refresh_from_db()
    assert alice.has_second_factor
    assert signed_in(alice).get("/account/")["Location"].startswith("/accounts/confirm/")
    credential.delete()
    alice.refresh_from_db()
    assert not alice.has_second_factor

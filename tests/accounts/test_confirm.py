"""/accounts/confirm/: the second factor at sign-in, and "confirm it is you" before lasting
changes; wrong codes in the lockout and the throttle."""

import time

import pytest
from django.test import Client
from django.test.utils import override_settings
from django_otp.plugins.otp_static.models import StaticToken

from accounts.second_factor import new_recovery_codes
from httpauth.reauthentication import SESSION_KEY as WINDOW
from tests.support.users import PASSWORD, signed_in, window_closed, with_authenticator

pytestmark = pytest.mark.django_db


def test_the_password_alone_is_held_on_the_confirmation_page(alice):
    with_authenticator(alice)
    client = signed_in(alice)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm/?next=/account/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Your second factor" in page.content
    assert b'autocomplete="one-time-code"' in page.content
    assert "no-cache" in page["Cache-Control"]
    assert b'href="/account/"' not in page.content  # no link it could not follow yet
    assert b"Sign out" in page.content


def test_a_code_from_the_app_signs_in_and_goes_on_to_next(alice):
    totp = with_authenticator(alice)
    client = signed_in(alice)
    response = client.post("/accounts/confirm/", {"code": totp.now(), "next": "/account/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    assert b"Signed in as <strong>alice</strong>" in page.content
    assert time.time() - client.session[WINDOW] < 5  # the factor opened the window


def test_the_password_opens_no_window_for_a_user_with_a_factor(alice):
    with_authenticator(alice)
    client = signed_in(alice)
    assert WINDOW not in client.session


def test_next_off_the_site_is_not_followed(alice):
    totp = with_authenticator(alice)
    client = signed_in(alice)
    response = client.post(
        "/accounts/confirm/", {"code": totp.now(), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_replayed_code_is_refused(alice):
    totp = with_authenticator(alice)
    code = totp.now()
    verified_client = signed_in(alice)
    assert verified_client.post("/accounts/confirm/", {"code": code}).status_code == 302
    other = signed_in(alice)
    response = other.post("/accounts/confirm/", {"code": code})
    assert response.status_code == 200
    assert b"That code is not right, or it was used already." in response.content
    assert other.get("/account/").status_code == 302  # still held


def test_a_wrong_code_is_refused_and_keeps_the_hold(alice):
    totp = with_authenticator(alice)
    client = signed_in(alice)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/confirm/", {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get("/account/")["Location"].startswith("/accounts/confirm/")


def test_a_recovery_code_works_once(alice):
    with_authenticator(alice)
    codes = new_recovery_codes(alice)
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    first = signed_in(alice)
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as shown, in capitals
    assert first.post("/accounts/confirm/", {"code": typed}).status_code == 302
    assert first.get("/account/").status_code == 200
    assert StaticToken.objects.filter(device__user=alice).count() == 9
    second = signed_in(alice)
    response = second.post("/accounts/confirm/", {"code": codes[0]})
    assert response.status_code == 200
    assert b"used already" in response.content


def test_sign_out_stays_open_while_held(alice):
    with_authenticator(alice)
    client = signed_in(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_without_a_factor_confirms_with_the_password(alice):
    client = signed_in(alice)
    window_closed(client)
    page = client.get("/accounts/confirm/?next=/account/app-passwords/")
    assert page.status_code == 200
    assert b"Confirm it is you" in page.content
    assert b'autocomplete="current-password"' in page.content
    response = client.post(
        "/accounts/confirm/", {"password": PASSWORD, "next": "/account/app-passwords/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/app-passwords/"
    assert WINDOW in client.session


@override_settings(HTTPAUTH_ADDRESS_FAILURE_LIMIT=3)
def test_wrong_codes_from_one_client_reach_429_as_wrong_passwords_do(alice, bob):
    """The address throttle counts a wrong code as a wrong password: mixed, three reach it,
    and the next code, even a right one, is answered 429 before it is checked."""
    totp = with_authenticator(alice)
    client = signed_in(alice)
    assert client.post("/accounts/confirm/", {"code": "000000"}).status_code == 200
    assert (
        Client().post("/accounts/login/", {"username": "bob", "password": "wrong"}).status_code
        == 200
    )
    assert client.post("/accounts/confirm/", {"code": "111111"}).status_code == 200
    response = client.post("/accounts/confirm/", {"code": totp.now()})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get("/account/").status_code == 302  # the right code was never checked


def test_wrong_codes_count_in_the_lockout_of_the_username(alice):
    """django-axes: five failures of one username from one client lock it out, codes and
    passwords alike."""
    totp = with_authenticator(alice)
    client = signed_in(alice)
    for _ in range(3):
        assert client.post("/accounts/confirm/", {"code": "000000"}).status_code == 200
    for _ in range(2):
        Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/accounts/confirm/", {"code": totp.now()})
    assert response.status_code == 429
    login = Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert login.status_code == 429

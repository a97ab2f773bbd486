"""/account/security/: enrolling an authenticator app with pyotp's codes, recovery codes shown
once, removing factors; every change behind a fresh confirmation."""

import re
import time

import pyotp
import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.users import signed_in, verified, window_closed, with_authenticator

pytestmark = pytest.mark.django_db


def enrol(client, name="Phone"):
    """Add an authenticator app as a person does: read the key off the page, type its code."""
    page = client.get("/account/security/authenticator/")
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"]  # the key is on it
    assert b"<svg" in page.content  # the QR code, inline (no script, no data: URL)
    secret = re.search(rb'id="totp-secret">([A-Z2-7]+)<', page.content).group(1).decode()
    totp = pyotp.TOTP(secret)
    response = client.post("/account/security/authenticator/", {"name": name, "code": totp.now()})
    return totp, response


def codes_on(response):
    return re.findall(rb"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", response.content)


def test_enrolling_an_authenticator_app_then_signing_in_with_it(alice):
    client = signed_in(alice)
    totp, response = enrol(client)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    codes = codes_on(response)
    assert len(codes) == 10
    alice.refresh_from_db()
    assert alice.has_second_factor
    assert client.get("/account/").status_code == 200  # this session used it to enrol

    again = signed_in(alice)
    assert again.get("/account/")["Location"].startswith("/accounts/confirm/")
    code = totp.at(time.time(), counter_offset=1)  # the enrolment used this step's code
    assert again.post("/accounts/confirm/", {"code": code}).status_code == 302
    assert again.get("/account/").status_code == 200


def test_the_code_that_enrolled_cannot_sign_in(alice):
    client = signed_in(alice)
    totp, _ = enrol(client)
    response = signed_in(alice).post("/accounts/confirm/", {"code": totp.now()})
    assert response.status_code == 200
    assert b"used already" in response.content


def test_a_wrong_enrolment_code_saves_nothing(alice):
    client = signed_in(alice)
    client.get("/account/security/authenticator/")
    response = client.post("/account/security/authenticator/", {"name": "Phone", "code": "12"})
    assert response.status_code == 200
    assert b"That is not the code the app shows now" in response.content
    assert not TOTPDevice.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert not alice.has_second_factor


def test_changes_need_a_fresh_confirmation(alice):
    client = signed_in(alice)
    window_closed(client)
    response = client.get("/account/security/authenticator/")
    assert response.status_code == 302
    assert response["Location"] == ("/accounts/confirm/?next=/account/security/authenticator/")
    page = client.get("/account/security/")
    assert b"confirm it is you</a> first" in page.content
    assert b"passkey-register-button" not in page.content


def test_with_a_factor_the_password_does_not_confirm_a_change(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    window_closed(client)
    response = client.post("/account/security/recovery-codes/")
    assert response["Location"] == "/accounts/confirm/?next=/account/security/"
    page = client.get("/accounts/confirm/?next=/account/security/")
    assert b'name="code"' in page.content
    assert b'name="password"' not in page.content


def test_new_recovery_codes_replace_the_old(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    first = codes_on(client.post("/account/security/recovery-codes/"))
    second = codes_on(client.post("/account/security/recovery-codes/"))
    assert len(first) == len(second) == 10
    assert not set(first) & set(second)
    stored = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert stored == {c.replace(b" ", b"").decode() for c in second}


def test_removing_the_last_factor_takes_the_recovery_codes_and_the_flag(alice):
    client = signed_in(alice)
    enrol(client)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(f"/account/security/authenticator/{device.pk}/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert not alice.has_second_factor
    assert signed_in(alice).get("/account/").status_code == 200  # no longer held


def test_one_cannot_remove_another_users_factor(alice, bob):
    with_authenticator(bob)
    device = TOTPDevice.objects.get(user=bob)
    response = signed_in(alice).post(f"/account/security/authenticator/{device.pk}/remove/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=bob).exists()


def test_the_page_lists_the_factors(alice):
    totp = with_authenticator(alice, name="Work phone")
    client = verified(alice, totp)
    page = client.get("/account/security/")
    assert page.status_code == 200
    assert b"Work phone" in page.content
    assert b"You have no recovery codes left" in page.content
    assert b'id="passkey-register-button"' in page.content
    assert b"django_otp_webauthn/otp_webauthn_register." in page.content

"""accounts.second_factor as the project wires it: who needs app passwords, and making one
needs the factor again, not the password (the feeds' side: tests/feeds/test_second_factor.py)."""

import time

import pytest
from django.test.utils import override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import (
    checked_step,
    claim_recovery_code,
    claim_step,
    device_for_code,
    new_recovery_codes,
    requires_app_password,
)
from httpauth.models import AppPassword
from tests.support.users import PASSWORD, verified, window_closed, with_authenticator

pytestmark = pytest.mark.django_db


def test_who_needs_app_passwords(alice, bob):
    assert not requires_app_password(alice)
    with_authenticator(alice)
    alice.refresh_from_db()
    assert requires_app_password(alice)
    assert not requires_app_password(bob)
    with override_settings(ACCOUNTS_REQUIRE_MFA_FOR_STAFF=True):
        assert requires_app_password(bob)  # staff without one
        assert not requires_app_password(alice.__class__(username="carol"))  # not staff


def test_an_app_password_needs_a_fresh_factor_not_the_password(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    window_closed(client)
    page = client.get("/account/app-passwords/")
    assert page.status_code == 200
    assert b'href="/accounts/confirm/?next=%2Faccount%2Fapp-passwords%2F">confirm it is you' in (
        page.content
    )
    assert b'name="password"' not in page.content
    response = client.post("/account/app-passwords/", {"name": "NetNewsWire", "password": PASSWORD})
    assert response.status_code == 200
    assert not AppPassword.objects.filter(user=alice).exists()

    code = totp.at(time.time(), counter_offset=1)
    confirmed = client.post("/accounts/confirm/", {"code": code, "next": "/account/app-passwords/"})
    assert confirmed["Location"] == "/account/app-passwords/"
    created = client.post("/account/app-passwords/", {"name": "NetNewsWire"})
    assert created.status_code == 200
    assert AppPassword.objects.filter(user=alice, name="NetNewsWire").count() == 1
    assert b'id="new-app-password"' in created.content


def test_signing_in_with_the_factor_opens_the_window(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    created = client.post("/account/app-passwords/", {"name": "Newsboat"})
    assert created.status_code == 200
    assert AppPassword.objects.filter(user=alice, name="Newsboat").exists()


def test_only_the_users_own_devices_accept_a_code(alice, bob):
    totp = with_authenticator(alice)
    with_authenticator(bob)
    assert device_for_code(bob, totp.now()) is None
    assert device_for_code(alice, totp.now()).user == alice


# Two requests bring the same code at once: each checks (reads), then claims (one conditional
# write). Every ordering of the four steps, each request checking before it claims, lets
# exactly one in.
ORDERINGS = [
    ("check A", "claim A", "check B", "claim B"),
    ("check A", "check B", "claim A", "claim B"),
    ("check A", "check B", "claim B", "claim A"),
    ("check B", "check A", "claim A", "claim B"),
    ("check B", "check A", "claim B", "claim A"),
    ("check B", "claim B", "check A", "claim A"),
]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=[" ".join(o) for o in ORDERINGS])
def test_one_code_brought_twice_at_once_lets_one_request_in(alice, ordering):
    totp = with_authenticator(alice)
    code = totp.now()
    # Each request loads the device itself, as two processes would.
    devices = {name: TOTPDevice.objects.get(user=alice) for name in "AB"}
    steps, claimed = {}, {}
    for step in ordering:
        action, name = step.split()
        if action == "check":
            steps[name] = checked_step(devices[name], code)
        else:
            claimed[name] = steps[name] is not None and claim_step(devices[name], steps[name])
    assert sorted(claimed.values()) == [False, True]
    assert TOTPDevice.objects.get(user=alice).last_t == steps[ordering[0].split()[1]]


def test_one_recovery_code_brought_twice_lets_one_request_in(alice):
    with_authenticator(alice)
    [code, *_] = new_recovery_codes(alice)
    devices = [StaticDevice.objects.get(user=alice) for _ in range(2)]
    assert [claim_recovery_code(d, code) for d in devices] == [True, False]


def test_a_device_makes_guessers_wait_after_a_failure(alice):
    totp = with_authenticator(alice)
    assert device_for_code(alice, "000000") is None
    device = TOTPDevice.objects.get(user=alice)
    assert device.throttling_failure_count == 1
    assert device_for_code(alice, totp.now()) is None  # within the second it must wait
    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 1  # not counted

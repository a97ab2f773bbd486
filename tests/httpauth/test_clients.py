"""httpauth.clients: one client key for every per-address limit (SECURITY.md, finding 3).

Forty wrong guesses from forty addresses of one IPv6 /64 used to get forty 401s, and then the
right password 200: the lockout, the Basic throttle and the reset limit each counted every
address apart.
"""

import pytest
from django.test import Client, RequestFactory

from httpauth.clients import client_key
from tests.httpauth.answers import assert_locked_out
from tests.support.users import PASSWORD, basic


def key(address):
    return client_key(RequestFactory().get("/", REMOTE_ADDR=address))


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:DB8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::1", "::"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_is_its_network_and_an_ipv4_one_its_address(address, expected):
    assert key(address) == expected


def test_the_prefix_length_is_a_setting(settings):
    settings.HTTPAUTH_IPV6_PREFIX_LENGTH = 48
    assert key("2001:db8:1:2::1") == "2001:db8:1::"
    settings.HTTPAUTH_IPV6_PREFIX_LENGTH = 128
    assert key("2001:db8:1:2::1") == "2001:db8:1:2::1"


def in_one_64(n):
    return f"2001:db8:1:0:{n:x}::{n:x}"


def test_guesses_from_many_addresses_of_one_ipv6_network_are_locked_out(client, alice):
    statuses = [
        client.get(
            "/bare/", HTTP_AUTHORIZATION=basic("alice", f"guess{n}"), REMOTE_ADDR=in_one_64(n)
        ).status_code
        for n in range(1, 41)
    ]
    assert statuses == [401] * 4 + [429] * 36  # AXES_FAILURE_LIMIT
    assert_locked_out(
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR=in_one_64(99))
    )
    # Another network is another client.
    elsewhere = client.get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR="2001:db8:2::1"
    )
    assert elsewhere.status_code == 200


def test_usernames_in_rotation_from_one_ipv6_network_are_throttled(client, alice, settings):
    limit = settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 8
    statuses = [
        client.get(
            "/bare/", HTTP_AUTHORIZATION=basic(f"user{n}", "guess"), REMOTE_ADDR=in_one_64(n)
        ).status_code
        for n in range(1, limit + 3)
    ]
    assert statuses == [401] * limit + [429] * 2
    right = client.get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR=in_one_64(99)
    )
    assert right.status_code == 429


def test_the_sign_in_form_locks_out_an_ipv6_network(alice):
    browser = Client()

    def sign_in(password, n):
        return browser.post(
            "/accounts/login/",
            {"username": "alice", "password": password},
            REMOTE_ADDR=in_one_64(n),
        )

    assert [sign_in("x", n).status_code for n in range(1, 5)] == [200] * 4
    assert_locked_out(sign_in("x", 5))
    assert_locked_out(sign_in(PASSWORD, 6))

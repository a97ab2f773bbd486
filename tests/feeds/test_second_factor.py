"""The feeds with a second factor on (accounts.second_factor): readers use app passwords or
secret addresses, and making a secret address needs the factor again."""

import time

import pytest
from django.test import Client

from httpauth.basic import MESSAGES
from httpauth.models import AppPassword
from tests.support.users import PASSWORD, basic, verified, window_closed, with_authenticator

pytestmark = pytest.mark.django_db

MEMBERS = "/feeds/members.rss"


def poll(password):
    return Client().get(MEMBERS, HTTP_AUTHORIZATION=basic("alice", password))


def test_with_a_factor_basic_with_the_account_password_answers_401_naming_app_passwords(alice):
    assert poll(PASSWORD).status_code == 200  # before: verified, and remembered
    with_authenticator(alice)
    response = poll(PASSWORD)  # the credential cache still holds that success
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert MESSAGES["app_password_required"].replace("'", "&#x27;") in response.content.decode()
    _app, token = AppPassword.issue(alice, "Newsboat")
    ok = poll(token)
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("application/rss+xml")
    assert b"<rss" in ok.content


def test_a_secret_address_needs_a_fresh_factor_too(alice):
    totp = with_authenticator(alice)
    client = verified(alice, totp)
    window_closed(client)
    page = client.get("/account/feed-addresses/")
    assert page.status_code == 200
    assert b"confirm it is you</a> first" in page.content
    response = client.post("/account/feed-addresses/", {"name": "Reader", "feed": "members"})
    assert response.status_code == 200
    assert not alice.feed_addresses.exists()

    code = totp.at(time.time(), counter_offset=1)
    client.post("/accounts/confirm/", {"code": code, "next": "/account/feed-addresses/"})
    created = client.post("/account/feed-addresses/", {"name": "Reader", "feed": "members"})
    assert created.status_code == 200
    assert alice.feed_addresses.filter(name="Reader").count() == 1

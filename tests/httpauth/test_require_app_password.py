"""HTTPAUTH_REQUIRE_APP_PASSWORD: users it names (those with a second factor, in a project
that has one) read over Basic with app passwords only, whatever the credential cache holds."""

import pytest
from django.test import Client

from httpauth import credential_cache
from httpauth.basic import MESSAGES
from httpauth.models import AppPassword
from tests.support.users import PASSWORD, basic, make_user

REFUSED = MESSAGES["app_password_required"]


def needs_one(user):
    return user.username == "alice"


def poll(user_part, password, client=None):
    return (client or Client()).get("/realm/", HTTP_AUTHORIZATION=basic(user_part, password))


def assert_refused_naming_app_passwords(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Members')
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert REFUSED.replace("'", "&#x27;") in html
    assert "app password" in REFUSED


def test_the_account_password_is_refused_even_when_the_cache_remembers_it(alice, settings):
    assert poll("alice", PASSWORD).status_code == 200  # before: verified, and remembered
    alice.refresh_from_db()
    assert credential_cache.remembered(credential_cache.key("alice", PASSWORD, alice)) == alice.pk
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    assert_refused_naming_app_passwords(poll("alice", PASSWORD))


def test_an_app_password_still_opens_and_nobody_elses_changes(alice, settings):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = "tests.httpauth.test_require_app_password.needs_one"
    _app, token = AppPassword.issue(alice, "Newsboat")
    response = poll("alice", token)
    assert response.status_code == 200
    assert response.content == b"user=alice"
    make_user("carol")
    assert poll("carol", PASSWORD).content == b"user=carol"  # not named: as before


def test_the_account_password_is_never_hashed_nor_remembered(alice, settings, hashes):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    hashes.reset()
    for _ in range(3):
        assert poll("alice", PASSWORD).status_code == 401
    assert hashes.count == 0
    assert credential_cache.remembered(credential_cache.key("alice", PASSWORD, alice)) is None


def test_every_refusal_says_the_same_so_none_tells_who_needs_one(alice, settings):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    make_user("carol")
    answers = [
        poll("alice", PASSWORD),  # right, but only app passwords open
        poll("alice", "wrong"),
        poll("carol", "wrong"),  # not named, wrong password
        poll("nobody", "wrong"),
    ]
    for response in answers:
        assert_refused_naming_app_passwords(response)
    assert len({response.content for response in answers}) == 1
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = None  # the control: the usual words without it
    assert REFUSED not in poll("carol", "wrong").content.decode().replace("&#x27;", "'")


def test_refusals_count_in_the_address_throttle(alice, settings):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    statuses = [poll("alice", PASSWORD).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    _app, token = AppPassword.issue(alice, "Newsboat")
    assert poll("alice", token).status_code == 200  # throttled, an app password still reads


@pytest.mark.parametrize("value", ["no.such.hook", 3])
def test_a_hook_that_is_not_one_is_a_configuration_error(settings, value):
    from httpauth.checks import check_hooks

    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = value
    [error] = check_hooks(None)
    assert error.id == "httpauth.E007"
    assert "HTTPAUTH_REQUIRE_APP_PASSWORD" in error.msg

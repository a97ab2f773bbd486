"""django-axes on the Basic path and the sign-in form: 429 with Retry-After."""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.test import Client

from httpauth import limits, throttle
from httpauth.conf import app_settings
from httpauth.models import AppPassword
from tests.httpauth.answers import assert_locked_out
from tests.support.users import PASSWORD, basic


def test_basic_failures_fire_user_login_failed(client, alice):
    failures = []
    user_login_failed.connect(receiver := lambda **kwargs: failures.append(kwargs))
    try:
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong"))
    finally:
        user_login_failed.disconnect(receiver)
    assert len(failures) == 1
    assert failures[0]["credentials"]["username"] == "alice"
    assert "wrong" not in str(failures[0]["credentials"])  # Django cleanses the password


def test_repeated_basic_failures_lock_out_even_the_right_password(client, alice):
    for _ in range(4):
        assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong")).status_code == 401
    # The fifth failure (AXES_FAILURE_LIMIT) locks out, and the lockout holds.
    assert_locked_out(client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong")))
    assert_locked_out(client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)))


def test_the_lockout_is_per_username_and_address(client, alice):
    for _ in range(6):
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong"), REMOTE_ADDR="203.0.113.1")
    # The control: the guessing address is locked out...
    assert_locked_out(
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR="203.0.113.1")
    )
    # ...and another address is not.
    response = client.get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR="203.0.113.2"
    )
    assert response.status_code == 200
    assert response.content == b"user=alice"


def test_the_sign_in_form_locks_out_the_same_way(alice):
    browser = Client()
    for _ in range(4):
        assert (
            browser.post("/accounts/login/", {"username": "alice", "password": "x"}).status_code
            == 200
        )
    assert_locked_out(browser.post("/accounts/login/", {"username": "alice", "password": "x"}))
    assert_locked_out(browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD}))


def lock_out(client, username="alice"):
    for _ in range(5):  # AXES_FAILURE_LIMIT
        client.get("/bare/", HTTP_AUTHORIZATION=basic(username, "wrong"))


def test_a_remembered_password_is_refused_like_any_guess_while_locked_out(client, alice):
    # A reader's poll leaves the password in the credential cache...
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 200
    lock_out(client)
    # ...and yet, once locked out, the right password gets exactly the wrong one's answer.
    right = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    wrong = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "another guess"))
    assert_locked_out(right)
    assert_locked_out(wrong)
    assert right.content == wrong.content
    # Expires is the time of the answer (never-cache), which may tick between the two; each
    # request has an id of its own.
    assert headers_of_the_answer(right) == headers_of_the_answer(wrong)


def headers_of_the_answer(response):
    return sorted(
        (name, value)
        for name, value in response.headers.items()
        if name not in {"Expires", "X-Request-ID"}
    )


def test_while_locked_out_right_and_wrong_passwords_cost_the_same(
    hashes, client, alice, memcached_objects, django_assert_num_queries
):
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 200
    lock_out(client)

    def cost(password):
        hashes.reset()
        gets = memcached_objects.stats()["cmd_get"]
        with django_assert_num_queries(2) as queries:  # the lockout, an app password digest
            status = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", password)).status_code
        return status, hashes.count, memcached_objects.stats()["cmd_get"] - gets, len(queries)

    assert cost(PASSWORD) == cost("wrong") == (429, 0, 0, 2)


def test_an_app_password_still_reads_while_its_username_is_locked_out(client, alice):
    _app_password, token = AppPassword.issue(alice, "newsboat")
    lock_out(client)
    response = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    assert response.status_code == 200
    assert response.content == b"user=alice"
    assert_locked_out(client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token + "x")))
    assert_locked_out(client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)))


# Finding 10: rotating usernames, each guess a full password hash, never met axes' lockout of
# one (username, address) pair.


def test_rotating_usernames_from_one_address_is_throttled(hashes, client, alice, settings):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 10
    for n in range(10):
        response = client.get("/bare/", HTTP_AUTHORIZATION=basic(f"user{n}", "guess"))
        assert response.status_code == 401
    hashes.reset()
    right = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    wrong = client.get("/bare/", HTTP_AUTHORIZATION=basic("user99", "guess"))
    for response in (right, wrong):
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
    assert right.content == wrong.content
    assert hashes.count == 0  # a throttled address costs no hash, right password or wrong


def test_the_throttle_is_the_addresss_alone(client, alice, settings):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client.get("/bare/", HTTP_AUTHORIZATION=basic(f"user{n}", "x"), REMOTE_ADDR="203.0.113.1")
    # The control: the guessing address is throttled, even with the right password...
    throttled = client.get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR="203.0.113.1"
    )
    assert throttled.status_code == 429
    # ...and another address is not.
    elsewhere = client.get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD), REMOTE_ADDR="203.0.113.2"
    )
    assert elsewhere.status_code == 200
    assert elsewhere.content == b"user=alice"


def test_a_throttled_address_still_reads_with_an_app_password(client, alice, settings):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    _app_password, token = AppPassword.issue(alice, "newsboat")
    for n in range(3):
        client.get("/bare/", HTTP_AUTHORIZATION=basic(f"user{n}", "x"))
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 200
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 429


def test_a_flush_of_the_cache_leaves_a_throttled_address_throttled(client, alice, settings):
    """SECURITY.md, second review, #6: a flush of the objects cluster used to reset the throttle."""
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client.get("/bare/", HTTP_AUTHORIZATION=basic(f"user{n}", "x"))
    caches[app_settings.CACHE_ALIAS].clear()
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 429


# The 2026-12-04 review's finding 3: the sign-in form and the admin's had no limit across
# usernames, so spraying one password over many usernames went on unlimited there.

SIGN_INS = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("sign_in", SIGN_INS)
def test_rotating_usernames_through_a_sign_in_form_is_throttled(hashes, alice, sign_in):
    browser = Client()
    for n in range(app_settings.ADDRESS_FAILURE_LIMIT):  # 20 usernames, 20 failures
        response = browser.post(sign_in, {"username": f"user{n}", "password": "guess"})
        assert response.status_code == 200  # the form again, with its error
    for n in range(5):  # 25 in all
        assert_throttled(browser.post(sign_in, {"username": f"more{n}", "password": "guess"}))
    hashes.reset()
    right = browser.post(sign_in, {"username": "alice", "password": PASSWORD})
    wrong = browser.post(sign_in, {"username": "alice", "password": "guess"})
    for response in (right, wrong):
        assert_throttled(response)
    assert right.content == wrong.content
    assert hashes.count == 0  # a throttled client costs no hash, right password or wrong
    assert "_auth_user_id" not in browser.session


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(app_settings.ADDRESS_FAILURE_WINDOW)
    assert b"Too many failed sign-in attempts" in response.content


def test_form_and_basic_failures_count_in_one_throttle(client, alice, settings):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 4
    browser = Client()
    for n in range(2):
        browser.post("/accounts/login/", {"username": f"user{n}", "password": "guess"})
        client.get("/bare/", HTTP_AUTHORIZATION=basic(f"reader{n}", "guess"))
    # Each failure counted once: Basic's own count, the form's through user_login_failed.
    assert limits.current(throttle.KEY_PREFIX + "127.0.0.1")[0] == 4
    assert_throttled(browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD}))
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 429


def test_a_throttled_client_is_an_ipv6_network_on_the_form_too(alice, settings):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):  # a fresh address of one /64 for each guess
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1}").post(
            "/accounts/login/", {"username": f"user{n}", "password": "guess"}
        )
    same_network = Client(REMOTE_ADDR="2001:db8:1:2::99")
    assert_throttled(
        same_network.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    )
    # The control: another network signs in.
    elsewhere = Client(REMOTE_ADDR="2001:db8:1:3::1")
    response = elsewhere.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(alice.pk)

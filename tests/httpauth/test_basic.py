"""The session-or-Basic flow, through the full middleware stack and the real caches."""

import base64
import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.test import Client

from httpauth import credential_cache
from httpauth.basic import authenticate_or_refuse, credentials_used
from httpauth.models import AppPassword
from httpauth.signals import basic_auth_checked
from tests.httpauth.answers import MALFORMED
from tests.support.signals import caught
from tests.support.users import PASSWORD, basic

REALM_HEADER = 'Basic realm="Members \\"only\\" \\\\ here", charset="UTF-8"'


@pytest.fixture
def bob(db):
    """A user holding the permission /perm/ asks for."""
    user = get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="view_apppassword"))
    return user


def assert_challenge(response, header=REALM_HEADER):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == header
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Sign-in required</h1>" in html
    assert 'href="/accounts/login/?next=' in html


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_credentials_get_the_challenge(client, alice, header):
    assert_challenge(client.get("/realm/", HTTP_AUTHORIZATION=header))


def test_the_reason_for_refusing_a_malformed_header_is_logged_at_debug(client, caplog):
    token = base64.b64encode(b"alice-without-a-colon").decode()
    with caplog.at_level(logging.DEBUG, logger="httpauth"):
        assert_challenge(client.get("/realm/", HTTP_AUTHORIZATION=f"Basic {token}"))
    [record] = [r for r in caplog.records if r.name == "httpauth"]
    assert (record.levelname, record.getMessage()) == (
        "DEBUG",
        "Refused a malformed Basic header: the credentials have no colon",
    )
    assert token not in caplog.text


@pytest.mark.parametrize(
    "header", [None, "Bearer abc", "Digest username=alice"], ids=["none", "bearer", "digest"]
)
def test_no_basic_credentials_get_the_challenge(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert_challenge(client.get("/realm/", **extra))


@pytest.mark.parametrize(
    ("user_part", "password"),
    [("alice", "wrong"), ("nobody", PASSWORD), ("ALICE", PASSWORD)],
    ids=["wrong password", "unknown user", "wrong case"],
)
def test_wrong_credentials_get_the_challenge(client, alice, user_part, password):
    assert_challenge(client.get("/realm/", HTTP_AUTHORIZATION=basic(user_part, password)))


def test_valid_credentials_run_the_view_as_that_user(client, alice):
    response = client.get("/realm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 200
    assert response.content == b"user=alice"
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "private" in response["Cache-Control"]


def test_basic_never_signs_in_nor_creates_a_session(client, alice, memcached_sessions):
    signed_in = []
    user_logged_in.connect(receiver := lambda **kwargs: signed_in.append(kwargs))
    try:
        before = memcached_sessions.stats()
        for _ in range(100):
            response = client.get("/realm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
            assert response.status_code == 200
            assert response.cookies == {}
    finally:
        user_logged_in.disconnect(receiver)
    after = memcached_sessions.stats()
    assert (after["cmd_set"], after["total_items"]) == (before["cmd_set"], before["total_items"])
    assert signed_in == []
    alice.refresh_from_db()
    assert alice.last_login is None


@pytest.mark.parametrize(
    "password", ["pa:ss:word", "pässwörd ☃", "with spaces and ünïcödé:"], ids=str
)
def test_colon_and_non_ascii_passwords(client, db, password):
    get_user_model().objects.create_user("zoë", "zoe@example.com", password)
    response = client.get("/realm/", HTTP_AUTHORIZATION=basic("zoë", password))
    assert response.content == "user=zoë".encode()


def test_latin1_credentials(client, db):
    get_user_model().objects.create_user("zoë", "zoe@example.com", "pässwörd")
    header = basic("zoë", "pässwörd", encoding="latin-1")
    response = client.get("/realm/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    assert response.content == "user=zoë".encode()


def test_email_as_the_user_part(client, alice):
    response = client.get("/realm/", HTTP_AUTHORIZATION=basic("Alice@Example.com", PASSWORD))
    assert response.content == b"user=alice"


def test_an_email_shared_by_two_users_is_refused(client, alice):
    get_user_model().objects.create_user("alice2", "alice@example.com", PASSWORD)
    response = client.get("/realm/", HTTP_AUTHORIZATION=basic("alice@example.com", PASSWORD))
    assert_challenge(response)


def test_email_can_be_switched_off(client, alice, settings):
    settings.HTTPAUTH_ALLOW_EMAIL = False
    response = client.get("/realm/", HTTP_AUTHORIZATION=basic("alice@example.com", PASSWORD))
    assert_challenge(response)


def test_inactive_users_are_refused(client, alice):
    alice.is_active = False
    alice.save()
    assert_challenge(client.get("/realm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)))


def test_valid_credentials_without_the_permission_get_403_not_a_prompt(client, alice):
    response = client.get("/perm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response
    assert "Your account may not read this." in response.content.decode()


def test_all_permissions_of_a_list_are_needed(client, bob):
    response = client.get("/perms/", HTTP_AUTHORIZATION=basic("bob", PASSWORD))
    assert response.status_code == 403
    bob.user_permissions.add(Permission.objects.get(codename="delete_apppassword"))
    response = client.get("/perms/", HTTP_AUTHORIZATION=basic("bob", PASSWORD))
    assert response.content == b"user=bob"


# The session-or-Basic matrix for /perm/ (bob holds the permission, alice does not).
MATRIX = [
    (None, None, 401),
    (None, "invalid", 401),
    (None, "alice", 403),
    (None, "bob", 200),
    ("alice", None, 403),
    ("alice", "invalid", 401),
    ("alice", "bob", 200),
    ("bob", None, 200),
    ("bob", "invalid", 200),
]


@pytest.mark.parametrize(("session", "credentials", "status"), MATRIX)
def test_session_or_basic_matrix(alice, bob, session, credentials, status):
    browser = Client()
    if session:
        browser.post("/accounts/login/", {"username": session, "password": PASSWORD})
    extra = {}
    if credentials == "invalid":
        extra["HTTP_AUTHORIZATION"] = basic("bob", "wrong")
    elif credentials:
        extra["HTTP_AUTHORIZATION"] = basic(credentials, PASSWORD)
    response = browser.get("/perm/", **extra)
    assert response.status_code == status
    if status == 200:
        expected = credentials if credentials not in (None, "invalid") else session
        assert response.content == f"user={expected}".encode()
    if status == 401:
        assert response["WWW-Authenticate"] == 'Basic realm="Staff", charset="UTF-8"'


# The credential cache.


def poll(client, password=PASSWORD):
    return client.get("/realm/", HTTP_AUTHORIZATION=basic("alice", password))


def test_a_warm_cache_spares_the_password_hash(client, hashes, alice, memcached_objects):
    hashes.reset()
    assert poll(client).status_code == 200
    assert hashes.count == 1
    for _ in range(5):
        assert poll(client).status_code == 200
    assert hashes.count == 1
    alice.refresh_from_db()
    key = credential_cache.key("alice", PASSWORD, alice)
    assert key.startswith(credential_cache.KEY_PREFIX)
    assert PASSWORD not in key
    assert caches["default"].get(key) == alice.pk
    assert memcached_objects.holds(caches["default"].make_key(key))


def test_failures_are_not_cached(client, hashes, alice):
    hashes.reset()
    for _ in range(3):
        assert poll(client, "wrong").status_code == 401
    assert hashes.count == 3


def test_unknown_users_and_wrong_passwords_cost_one_hash_each(client, hashes, alice):
    hashes.reset()
    client.get("/realm/", HTTP_AUTHORIZATION=basic("nobody", "whatever"))
    after_unknown = hashes.count
    poll(client, "wrong")
    assert after_unknown == 1
    assert hashes.count - after_unknown == 1


def test_a_password_change_ends_the_cached_verification(client, hashes, alice):
    poll(client)
    alice.set_password("a brand new password")
    alice.save()
    assert poll(client).status_code == 401
    assert poll(client, "a brand new password").status_code == 200


def test_deactivation_ends_the_cached_verification_at_once(client, hashes, alice):
    poll(client)
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert poll(client).status_code == 401


def test_the_cache_can_be_switched_off(client, hashes, alice, settings, memcached_objects):
    settings.HTTPAUTH_CACHE_TTL = 0
    hashes.reset()
    gets = memcached_objects.stats()["cmd_get"]
    for _ in range(3):
        assert poll(client).status_code == 200
    assert hashes.count == 3
    # One read per poll, the address throttle's count; none for a credential.
    assert memcached_objects.stats()["cmd_get"] - gets == 3


def test_an_objects_cache_outage_falls_back_to_the_full_check(client, hashes, alice, stop_cluster):
    stop_cluster("default")
    hashes.reset()
    assert poll(client).status_code == 200
    assert poll(client).status_code == 200
    assert hashes.count == 2


# The HTTPS rule (the suite runs with DJANGO_HTTPS=false, so it starts off).


@pytest.fixture
def https_required(settings):
    settings.HTTPAUTH_REQUIRE_HTTPS = True
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["feeds.example.com", "localhost"]


def basic_request(client, host, remote_addr, **extra):
    return client.get(
        "/realm/",
        HTTP_AUTHORIZATION=basic("alice", PASSWORD),
        HTTP_HOST=host,
        REMOTE_ADDR=remote_addr,
        **extra,
    )


def test_plain_http_from_the_network_is_refused(client, alice, https_required):
    response = basic_request(client, "feeds.example.com", "203.0.113.7")
    assert response.status_code == 403
    assert "only accepted over HTTPS" in response.content.decode()


def test_a_proxy_on_the_same_machine_does_not_count_as_loopback(client, alice, https_required):
    assert basic_request(client, "feeds.example.com", "127.0.0.1").status_code == 403


def test_https_behind_a_proxy_is_accepted(client, alice, https_required, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = basic_request(
        client, "feeds.example.com", "127.0.0.1", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 200
    assert response.content == b"user=alice"


def test_loopback_to_loopback_is_accepted(client, alice, https_required):
    response = basic_request(client, "localhost:8000", "127.0.0.1")
    assert response.status_code == 200
    assert response.content == b"user=alice"


def test_debug_accepts_plain_http(client, alice, https_required, settings):
    settings.DEBUG = True
    response = basic_request(client, "feeds.example.com", "203.0.113.7")
    assert response.status_code == 200
    assert response.content == b"user=alice"


def results(sent):
    return [signal["result"] for signal in sent]


def test_each_check_of_credentials_is_signalled_with_its_result(client, alice):
    with caught(basic_auth_checked) as sent:
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong"))
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))  # remembered
    assert results(sent) == ["refused", "verified", "cached"]
    assert all(signal["request"].path == "/bare/" for signal in sent)


def test_a_locked_out_check_is_signalled_as_such(client, alice):
    for _ in range(5):  # AXES_FAILURE_LIMIT: the fifth failure locks out
        client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", "wrong"))
    with caught(basic_auth_checked) as sent:
        response = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 429
    assert results(sent) == ["locked_out"]


def test_no_credentials_and_a_session_signal_no_check(client, alice):
    with caught(basic_auth_checked) as sent:
        assert client.get("/bare/").status_code == 401
        client.force_login(alice)
        assert client.get("/bare/").status_code == 200
    assert sent == []


@pytest.mark.parametrize(
    ("credentials", "used"),
    [(None, None), (("alice", "wrong"), "basic"), (("alice", PASSWORD), "basic")],
)
def test_credentials_used_says_which_basic_credentials_came(rf, alice, credentials, used):
    headers = {"HTTP_AUTHORIZATION": basic(*credentials)} if credentials else {}
    request = rf.get("/bare/", **headers)
    request.user = AnonymousUser()
    authenticate_or_refuse(request, lambda user: user.is_authenticated)
    assert credentials_used(request) == used


def test_credentials_used_says_app_password(rf, alice):
    _password, token = AppPassword.issue(alice, "reader")
    request = rf.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    request.user = AnonymousUser()
    assert authenticate_or_refuse(request, lambda user: user.is_authenticated) is None
    assert credentials_used(request) == "app_password"

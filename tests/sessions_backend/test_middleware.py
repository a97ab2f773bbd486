"""The middleware: a 503 page while the sessions cluster is stopped, and "last seen"."""

from django.conf import settings

from sessions_backend import user_sessions
from sessions_backend.signals import store_failed
from tests.support.signals import caught
from tests.support.users import PASSWORD


def try_sign_in(client, username="alice"):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Sign-in is temporarily unavailable</h1>" in html
    assert "Nothing is lost: please try again in a minute." in html
    assert "sessionid" not in response.cookies


def test_a_signed_in_user_reads_on_signed_out_while_the_cluster_is_down(
    client, alice, stop_cluster, store_failures
):
    try_sign_in(client)
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    response = client.get("/")
    assert response.content == b"user=(anonymous)"  # signed out for the outage...
    assert "sessionid" not in response.cookies  # ...but the cookie is kept for afterwards
    listing = client.get("/account/sessions/")
    assert listing.status_code == 302
    assert listing["Location"] == "/accounts/login/?next=/account/sessions/"
    assert store_failures["load"] >= 1


def test_sign_in_answers_503_while_the_sessions_cluster_is_down(
    client, alice, stop_cluster, store_failures
):
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    assert_unavailable_page(try_sign_in(client))
    assert store_failures["write"] == 1


def test_sign_out_answers_503_while_the_sessions_cluster_is_down(client, alice, stop_cluster):
    try_sign_in(client)
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    assert_unavailable_page(client.post("/accounts/logout/"))


def test_sign_in_works_and_is_listed(client, alice):
    response = try_sign_in(client)
    assert response.status_code == 302
    [entry] = user_sessions.prune_and_list(alice.pk)
    assert entry["key"] == client.session.session_key


def test_last_seen_is_not_written_on_every_request(client, alice, memcached_sessions):
    try_sign_in(client)
    before = memcached_sessions.stats()["cmd_set"]
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert memcached_sessions.stats()["cmd_set"] == before


def test_last_seen_is_refreshed_once_the_interval_has_passed(
    client, alice, settings, memcached_sessions
):
    try_sign_in(client)
    [signed_in] = user_sessions.prune_and_list(alice.pk)
    settings.SESSIONS_BACKEND_LAST_SEEN_INTERVAL = 0
    before = memcached_sessions.stats()["cmd_set"]
    client.get("/", HTTP_USER_AGENT="Later/2.0")
    # The list (cas) and the session (replace): two stores, once per interval.
    assert memcached_sessions.stats()["cmd_set"] == before + 2
    [seen] = user_sessions.prune_and_list(alice.pk)
    assert seen["last_seen"] > signed_in["last_seen"]
    assert seen["user_agent"] == "Later/2.0"


def test_a_failed_load_and_a_failed_write_are_signalled(client, alice, stop_cluster):
    try_sign_in(client)
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    with caught(store_failed) as loads:
        client.get("/")  # signed out for this request
    client.cookies.clear()
    with caught(store_failed) as writes:
        assert try_sign_in(client).status_code == 503  # the new session cannot be written
    assert [signal["operation"] for signal in loads] == ["load"]
    assert [signal["operation"] for signal in writes] == ["write"]

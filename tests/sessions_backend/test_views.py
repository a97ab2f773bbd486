"""/account/sessions/: see your sessions, end one, end all the others."""

import time
from datetime import UTC, datetime
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sessions_backend import user_sessions
from sessions_backend.cluster import MemcachedCluster
from tests.support.caches import use_daemon
from tests.support.users import PASSWORD, signed_in

# memcached options for items of at most 8 KB (its slab chunks must be at most half as big).
SMALL_ITEMS = ("-I", "8k", "-o", "slab_chunk_max=4096")


def is_signed_in(client):
    return client.get("/").content == b"user=alice"


def test_lists_every_session_and_marks_this_one(alice):
    phone = signed_in(alice, HTTP_USER_AGENT="Phone/1.0")
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    response = laptop.get("/account/sessions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phone/1.0" in html
    assert "Laptop/1.0" in html
    assert html.count('<strong class="badge">This session</strong>') == 1
    phone_id = user_sessions.entry_id(phone.session.session_key)
    assert f'formaction="/account/sessions/{phone_id}/sign-out/"' in html
    for client in (phone, laptop):
        assert client.session.session_key not in html  # ids only, never keys


def test_signing_out_another_session_ends_it(alice):
    phone = signed_in(alice, HTTP_USER_AGENT="Phone/1.0")
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    phone_id = user_sessions.entry_id(phone.session.session_key)
    response = laptop.post(f"/account/sessions/{phone_id}/sign-out/", follow=True)
    assert response.redirect_chain == [("/account/sessions/", 302)]
    assert "That session is signed out." in response.content.decode()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert "Phone/1.0" not in response.content.decode()


def test_this_session_is_ended_with_sign_out_not_here(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    own_id = user_sessions.entry_id(laptop.session.session_key)
    response = laptop.post(f"/account/sessions/{own_id}/sign-out/", follow=True)
    assert "That is this session" in response.content.decode()
    assert is_signed_in(laptop)


def test_an_unknown_session_is_404(alice):
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    assert laptop.post("/account/sessions/0123456789abcdef0123/sign-out/").status_code == 404


def test_another_users_session_cannot_be_ended(alice):
    bob = get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD)
    bobs = Client()
    bobs.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    bobs_id = user_sessions.entry_id(bobs.session.session_key)
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    assert laptop.post(f"/account/sessions/{bobs_id}/sign-out/").status_code == 404
    assert user_sessions.prune_and_list(bob.pk)[0]["id"] == bobs_id


def test_sign_out_all_other_sessions(alice):
    others = [signed_in(alice, HTTP_USER_AGENT=f"Other/{n}") for n in range(3)]
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    response = laptop.post("/account/sessions/sign-out-others/", follow=True)
    assert "Every other session is signed out." in response.content.decode()
    assert [is_signed_in(client) for client in others] == [False, False, False]
    assert is_signed_in(laptop)
    assert [entry["user_agent"] for entry in user_sessions.prune_and_list(alice.pk)] == [
        "Laptop/1.0"
    ]


def test_forms_need_post_and_a_csrf_token(alice):
    laptop = Client(enforce_csrf_checks=True)
    laptop.force_login(alice)
    assert laptop.get("/account/sessions/sign-out-others/").status_code == 405
    assert laptop.post("/account/sessions/sign-out-others/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/sessions/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/account/sessions/"


def test_signing_out_all_others_leaves_none_signed_in_past_what_a_list_item_holds(
    alice, memcached, settings
):
    # Items of at most 8 KB: a user's list holds about 18 sessions, where 1 MB holds ~2,000.
    use_daemon(settings, settings.SESSION_CACHE_ALIAS, memcached(16, *SMALL_ITEMS))
    settings.SESSIONS_BACKEND_MAX_SESSIONS = 10
    browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0"
    others = [signed_in(alice, HTTP_USER_AGENT=f"{browser} Device/{n}") for n in range(40)]
    laptop = signed_in(alice, HTTP_USER_AGENT="Laptop/1.0")
    response = laptop.post("/account/sessions/sign-out-others/", follow=True)
    assert "Every other session is signed out." in response.content.decode()
    still_signed_in = [client for client in others if is_signed_in(client)]
    assert still_signed_in == []
    assert is_signed_in(laptop)
    assert [entry["user_agent"] for entry in user_sessions.prune_and_list(alice.pk)] == [
        "Laptop/1.0"
    ]


def test_the_list_shows_the_exact_address_of_an_ipv6_client(alice):
    """The limits count an IPv6 client by its /64 (httpauth.clients); the list does not."""
    laptop = signed_in(
        alice, HTTP_USER_AGENT="Laptop/1.0", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd"
    )
    assert "2001:db8:1:2:aaaa:bbbb:cccc:dddd" in laptop.get("/account/sessions/").content.decode()


FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def row_of(html, label):
    """The table row that names ``label``."""
    rows = html.split("<tr")
    (row,) = [row for row in rows if f'<span class="device">{label}</span>' in row]
    return row


def test_each_session_is_named_by_its_browser_with_the_raw_string_under_details(alice):
    signed_in(alice, HTTP_USER_AGENT=SAFARI_IPHONE)
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)
    html = laptop.get("/account/sessions/").content.decode()
    laptop_row, phone_row = row_of(html, "Firefox on Linux"), row_of(html, "Safari on iPhone")
    assert '<strong class="badge">This session</strong>' in laptop_row
    assert "This session" not in phone_row
    assert (
        f'<summary>Details</summary><code class="user-agent">{FIREFOX_LINUX}</code>' in laptop_row
    )


def test_without_user_agent_tracking_the_label_stays_and_the_raw_string_goes(alice, settings):
    settings.SESSIONS_BACKEND_TRACK_USER_AGENT = False
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)
    html = laptop.get("/account/sessions/").content.decode()
    assert "Firefox on Linux" in row_of(html, "Firefox on Linux")
    assert "<details>" not in html
    assert "Gecko" not in html
    assert user_sessions.prune_and_list(alice.pk)[0]["user_agent"] is None


def test_recent_sessions_are_active_now_and_older_ones_say_how_long_ago(alice):
    phone = signed_in(alice, HTTP_USER_AGENT=SAFARI_IPHONE)
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)
    html = laptop.get("/account/sessions/").content.decode()
    assert "Active now" in row_of(html, "Safari on iPhone")  # seen within the interval
    phone_id = user_sessions.entry_id(phone.session.session_key)
    three_hours_ago = time.time() - 3 * 3600 - 60

    def seen_long_ago(entries):
        entries[phone_id]["last_seen"] = three_hours_ago

    user_sessions._update(alice.pk, seen_long_ago)
    html = laptop.get("/account/sessions/").content.decode()
    exact = datetime.fromtimestamp(three_hours_ago, tz=UTC)
    phone_row = row_of(html, "Safari on iPhone")
    assert "Active now" not in phone_row
    assert f'title="{exact:%-d %b %Y, %H:%M} UTC">3\xa0hours ago</time>' in phone_row
    assert "Active now" in row_of(html, "Firefox on Linux")  # this session, always


def test_the_list_parses_nothing(alice, settings):
    signed_in(alice, HTTP_USER_AGENT=SAFARI_IPHONE)
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)

    def broken(user_agent):
        raise AssertionError("the list page called the labeller")

    settings.SESSIONS_BACKEND_DEVICE_LABEL = broken
    response = laptop.get("/account/sessions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Safari on iPhone" in html
    assert "Firefox on Linux" in html


def test_a_labeller_that_raises_at_sign_in_still_signs_in_and_lists_an_unknown_browser(
    alice, settings
):
    def broken(user_agent):
        raise RuntimeError("no rules file")

    settings.SESSIONS_BACKEND_DEVICE_LABEL = broken
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)
    response = laptop.get("/account/sessions/")
    assert response.status_code == 200
    assert '<span class="device">Unknown browser</span>' in response.content.decode()


def test_a_new_browser_on_the_session_is_labelled_again_and_the_same_one_is_not(alice, settings):
    settings.SESSIONS_BACKEND_LAST_SEEN_INTERVAL = 0  # every request refreshes the entry
    calls = []

    def counting(user_agent):
        calls.append(user_agent)
        return f"Labelled {len(calls)}"

    settings.SESSIONS_BACKEND_DEVICE_LABEL = counting
    laptop = signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)
    laptop.get("/account/sessions/")
    laptop.get("/account/sessions/")
    assert calls == [FIREFOX_LINUX]
    html = laptop.get("/account/sessions/", HTTP_USER_AGENT=SAFARI_IPHONE).content.decode()
    assert calls == [FIREFOX_LINUX, SAFARI_IPHONE]
    assert user_sessions.prune_and_list(alice.pk)[0]["device"] == "Labelled 2"
    assert "Labelled 1" in html  # the page shows what the list held when it was read


@pytest.mark.parametrize("engine", ["cache", "cached_db"])
def test_the_list_costs_the_same_round_trips_at_12_sessions_as_at_1(alice, settings, engine):
    settings.SESSION_ENGINE = f"sessions_backend.backends.{engine}"
    signed_in(alice, HTTP_USER_AGENT=FIREFOX_LINUX)

    def commands_of_the_list():
        sent = []
        call = MemcachedCluster._call

        def spy(self, operation, *args):
            sent.append(operation)
            return call(self, operation, *args)

        with (
            patch.object(MemcachedCluster, "_call", spy),
            CaptureQueriesContext(connection) as queries,
        ):
            assert user_sessions.prune_and_list(alice.pk)
        return sent, len(queries)

    alone = commands_of_the_list()
    for n in range(11):
        signed_in(alice, HTTP_USER_AGENT=f"{FIREFOX_LINUX} Device/{n}")
    assert len(user_sessions.prune_and_list(alice.pk)) == 12
    assert commands_of_the_list() == alone == (["gets", "get_multi"], 0)

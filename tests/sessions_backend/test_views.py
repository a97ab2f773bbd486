"""/account/sessions/: see your sessions, end one, end all the others."""

from django.contrib.auth import get_user_model
from django.test import Client

from sessions_backend import user_sessions
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
    assert html.count("<strong>This session</strong>") == 1
    phone_id = user_sessions.entry_id(phone.session.session_key)
    assert f'action="/account/sessions/{phone_id}/sign-out/"' in html
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

"""Signing in to the served site: the session in its cluster, cookies memcached cannot hold,
lockouts, and the admin's view-only staff."""

import pytest
import requests

from tests.support.sites import DEMO_PASSWORD, raw_get, sign_in

pytestmark = pytest.mark.slow


def test_sign_in_round_trip(site, site_sessions):
    browser, response = sign_in(site)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    session_key = browser.cookies["sessionid"]
    assert site_sessions.holds(f"sessions:1:django.contrib.sessions.cache{session_key}")
    assert "Signed in as <strong>alice</strong>" in browser.get(site.url + "/", timeout=10).text


# Under 250 characters, over memcached's 250 bytes: each gave every page a 500 once.
HOSTILE_COOKIES = ["é".encode() * 120, b"\xff" * 100, "\N{GRINNING FACE}".encode() * 60]


@pytest.mark.parametrize("cookie", HOSTILE_COOKIES, ids=["two-byte", "latin-1", "emoji"])
def test_a_session_cookie_memcached_cannot_hold_names_no_session(site, cookie):
    statuses = {path: raw_get(site, path, cookie) for path in ("/", "/entries/", "/account/")}
    assert statuses == {"/": 200, "/entries/": 200, "/account/": 302}


DAVE_PASSWORD = "dave-password-for-the-lockout-test"


NEW_USER_WITH_APP_PASSWORD = """
from django.contrib.auth import get_user_model
from httpauth.models import AppPassword
dave = get_user_model().objects.create_user("dave", password="%s")
print(AppPassword.issue(dave, "newsboat")[1])
"""


def test_while_locked_out_a_remembered_password_answers_as_a_wrong_one(site):
    created = site.manage("shell", "-c", NEW_USER_WITH_APP_PASSWORD % DAVE_PASSWORD)
    token = created.stdout.splitlines()[-1]  # after what the shell says of its imports
    feed = site.url + "/feeds/members.rss"

    def poll(password):
        return requests.get(feed, auth=("dave", password), timeout=30)

    assert poll(DAVE_PASSWORD).status_code == 200  # now in the credential cache
    for _ in range(5):
        assert poll("a wrong guess").status_code in (401, 429)
    right, wrong = poll(DAVE_PASSWORD), poll("yet another guess")
    assert (right.status_code, wrong.status_code) == (429, 429)
    assert right.text == wrong.text
    assert right.headers["Retry-After"] == wrong.headers["Retry-After"] == "900"
    # Readers with an app password go on reading: 256 random bits are not a guess.
    reader = poll(token)
    assert reader.status_code == 200
    assert "<rss" in reader.text


NEW_VIEW_ONLY_STAFF = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
viewer = get_user_model().objects.create_user("viewer", password="%s", is_staff=True)
viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
print(get_user_model().objects.get(username="alice").pk)
"""


def test_staff_who_may_only_view_users_cannot_sign_them_out_everywhere(site):
    created = site.manage("shell", "-c", NEW_VIEW_ONLY_STAFF % DEMO_PASSWORD)
    alice_pk = created.stdout.splitlines()[-1]
    alice, _ = sign_in(site)
    staff, _ = sign_in(site, "viewer")
    changelist = staff.get(site.url + "/admin/accounts/user/", timeout=10)
    assert changelist.status_code == 200
    assert f'href="/admin/accounts/user/{alice_pk}/change/"' in changelist.text  # sees alice...
    assert "sign_out_everywhere" not in changelist.text  # ...not the action
    response = staff.post(
        site.url + "/admin/accounts/user/",
        data={
            "action": "sign_out_everywhere",
            "_selected_action": alice_pk,
            "csrfmiddlewaretoken": staff.cookies["csrftoken"],
        },
        timeout=10,
    )
    assert response.status_code == 200
    assert "Signed out 1 user everywhere." not in response.text
    assert "Signed in as <strong>alice</strong>" in alice.get(site.url + "/", timeout=10).text

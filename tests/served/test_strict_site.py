"""The site at its strictest (tests/settings/strict.py): sign-in required everywhere, email
through an SMTP server the environment names, the session cap and limits turned down."""

import re

import feedparser
import pytest
import requests

from tests.settings.strict import HTTPAUTH_ADDRESS_FAILURE_LIMIT as STRICT_FAILURE_LIMIT
from tests.support.daemons import client_from
from tests.support.sites import DEMO_PASSWORD, get, sign_in

pytestmark = pytest.mark.slow


def test_with_sign_in_required_everywhere_feed_readers_still_use_basic(strict_site):
    page = get(strict_site, "/entries/")
    assert (page.status_code, page.headers["Location"]) == (
        302,
        "/accounts/login/?next=/entries/",
    )
    challenge = get(strict_site, "/feeds/members.rss")
    assert challenge.status_code == 401
    assert challenge.headers["WWW-Authenticate"].startswith('Basic realm="')
    feed = get(strict_site, "/feeds/members.rss", auth=("alice", DEMO_PASSWORD))
    assert feed.status_code == 200
    assert feedparser.parse(feed.content).feed.title == "Reference site: Members' entries"


def test_past_the_cap_a_sign_in_ends_the_oldest_session_and_every_sign_out_is_real(
    strict_site,
):
    def signed_in(browser):
        return browser.get(strict_site.url + "/account/", timeout=10, allow_redirects=False)

    browsers = [sign_in(strict_site)[0] for _ in range(4)]  # the cap is 3
    assert [signed_in(b).status_code for b in browsers] == [302, 200, 200, 200]
    listed = browsers[-1].get(strict_site.url + "/account/sessions/", timeout=10)
    assert listed.text.count("<tr") == 1 + 3  # the header, then the three sessions
    assert listed.text.count('<strong class="badge">This session</strong>') == 1
    ended = browsers[-1].post(
        strict_site.url + "/account/sessions/sign-out-others/",
        data={"csrfmiddlewaretoken": browsers[-1].cookies["csrftoken"]},
        timeout=10,
    )
    assert "Every other session is signed out." in ended.text
    assert [signed_in(b).status_code for b in browsers] == [302, 302, 302, 200]


def reset_password_by_email(server, email, read_link):
    """Ask ``server`` for a reset of ``email``'s password, follow the link ``read_link()``
    returns, set a new password; return the sign-in answer with the new one."""
    browser = requests.Session()
    browser.get(f"{server.url}/accounts/password_reset/", timeout=10)
    token = browser.cookies["csrftoken"]
    asked = browser.post(
        f"{server.url}/accounts/password_reset/",
        data={"email": email, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=10,
    )
    assert (asked.status_code, asked.headers["Location"]) == (302, "/accounts/password_reset/done/")
    form = browser.get(read_link(), timeout=10)
    assert form.url.endswith("/set-password/")
    heading = re.search(r"<h1>(.*?)</h1>", form.text)
    assert heading is not None, form.text
    assert heading.group(1) == "Set a new password", form.text[form.text.index("<main") :][:600]
    new_password = "a new password for the gunicorn test"
    done = browser.post(
        form.url,
        data={
            "new_password1": new_password,
            "new_password2": new_password,
            "csrfmiddlewaretoken": token,
        },
        timeout=10,
    )
    assert done.url == f"{server.url}/accounts/reset/done/"
    assert "<h1>Password set</h1>" in done.text
    return server.sign_in(email.split("@")[0], new_password)[1]


def test_a_password_reset_goes_to_the_smtp_server_the_environment_names(strict_site, smtp):
    smtp.messages.clear()

    def link_in_the_email():
        [message] = smtp.wait_for(1)
        assert (message["To"], message["From"]) == ("bob@example.com", "feeds@example.org")
        path = re.search(r"/accounts/reset/\S+/\S+/", message.get_content()).group()
        origin = strict_site.env["DJANGO_SITE_URL"]
        assert f"{origin}{path}" in message.get_content()
        return strict_site.url + path

    since = len(strict_site.log())
    signed_in = reset_password_by_email(strict_site, "bob@example.com", link_in_the_email)
    assert (signed_in.status_code, signed_in.headers["Location"]) == (302, "/")
    # SECURITY.md, second review, #9: the link's token is masked in the access log.
    steps = strict_site.log_lines(
        r'"GET /accounts/reset/\w+/([^/ ]+)/ HTTP', since=since, at_least=2
    )
    assert sorted(steps) == ["[redacted]", "set-password"]
    token = re.search(r"/accounts/reset/\S+/(\S+)/", smtp.messages[0].get_content())[1]
    assert token not in strict_site.log()
    assert "Traceback" not in strict_site.log()


def test_usernames_in_rotation_from_one_address_are_throttled(strict_site):
    guesser = client_from("127.0.0.7")  # an address of its own: the throttle lasts 15 min

    def guess(username, password="a guess"):
        return guesser.get(
            strict_site.url + "/feeds/members.rss", auth=(username, password), timeout=30
        )

    statuses = [guess(f"user{n}").status_code for n in range(STRICT_FAILURE_LIMIT)]
    assert statuses == [401] * STRICT_FAILURE_LIMIT  # each one a full password hash
    right, wrong = guess("alice", DEMO_PASSWORD), guess("user99")
    assert (right.status_code, wrong.status_code) == (429, 429)
    assert right.text == wrong.text
    assert right.headers["Retry-After"] == wrong.headers["Retry-After"] == "900"
    assert get(strict_site, "/feeds/members.rss", auth=("alice", DEMO_PASSWORD)).status_code == 200


NEW_MEMBER = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("dave", "dave@example.com", "%s")
"""


NEW_APP_PASSWORD = re.compile(r'id="new-app-password">(app_[A-Za-z0-9_-]{43})<')


def test_an_app_password_needs_the_account_password_and_ends_with_a_reset(strict_site, smtp):
    strict_site.manage("shell", "-c", NEW_MEMBER % DEMO_PASSWORD)
    smtp.messages.clear()
    browser, _ = sign_in(strict_site, "dave")
    page = strict_site.url + "/account/app-passwords/"
    form = {"name": "newsboat", "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    refused = browser.post(page, data=form, timeout=10)  # a session cookie is not enough
    assert "This field is required." in refused.text
    assert not NEW_APP_PASSWORD.search(refused.text)
    created = browser.post(page, data={**form, "password": DEMO_PASSWORD}, timeout=10)
    app_password = NEW_APP_PASSWORD.search(created.text)[1]
    assert get(strict_site, "/feeds/members.rss", auth=("dave", app_password)).status_code == 200

    def link_in_the_email():
        [message] = smtp.wait_for(1)
        path = re.search(r"/accounts/reset/\S+/\S+/", message.get_content()).group()
        return strict_site.url + path

    reset_password_by_email(strict_site, "dave@example.com", link_in_the_email)
    reader = get(strict_site, "/feeds/members.rss", auth=("dave", app_password))
    assert reader.status_code == 401  # the reset revoked it

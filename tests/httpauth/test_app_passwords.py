"""App passwords: created and shown once, used by readers, revoked, never a way to sign in.

Covers httpauth.models, httpauth.backends and httpauth.views together: they are one feature.
"""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from httpauth.models import AppPassword
from httpauth.reauthentication import SESSION_KEY
from tests.support.users import PASSWORD, basic, signed_in

TOKEN = re.compile(r'<code class="token" id="new-app-password">(app_[A-Za-z0-9_-]{43})</code>')


@pytest.fixture
def browser(alice):
    return signed_in(alice)


def create(browser, name="Newsboat on the laptop"):
    response = browser.post("/account/app-passwords/", {"name": name})
    assert response.status_code == 200
    return response, TOKEN.search(response.content.decode()).group(1)


def test_created_token_is_shown_once_and_stored_as_a_digest(browser):
    response, token = create(browser)
    assert "no-store" in response["Cache-Control"]
    stored = AppPassword.objects.get()
    assert stored.name == "Newsboat on the laptop"
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    again = browser.get("/account/app-passwords/").content.decode()
    assert "Newsboat on the laptop" in again
    assert token not in again
    assert "never" in again  # not used yet


def test_a_reader_uses_it_as_the_basic_password(browser, client, hashes):
    _response, token = create(browser)
    hashes.reset()
    response = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    assert response.content == b"user=alice"
    assert hashes.count == 0  # recognised before any slow password hash
    assert AppPassword.objects.get().last_used_at is not None


def test_last_used_is_written_at_most_every_few_minutes(browser, client):
    _response, token = create(browser)
    client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    first = AppPassword.objects.get().last_used_at
    client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    assert AppPassword.objects.get().last_used_at == first
    AppPassword.objects.update(last_used_at=first - timedelta(minutes=10))
    client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    assert AppPassword.objects.get().last_used_at > first - timedelta(minutes=1)


def test_revoking_stops_it_at_once(browser, client):
    _response, token = create(browser)
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 200
    app_password = AppPassword.objects.get()
    response = browser.post(f"/account/app-passwords/{app_password.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert not AppPassword.objects.exists()
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 401


def test_it_only_opens_its_own_users_account(browser, client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD)
    _response, token = create(browser)
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 200
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("bob", token)).status_code == 401


def test_it_cannot_sign_in_through_the_form_or_the_admin(browser, alice):
    _response, token = create(browser)
    alice.is_staff = True
    alice.save()
    for login_url in ("/accounts/login/", "/admin/login/"):
        response = Client().post(login_url, {"username": "alice", "password": token})
        assert response.status_code == 200, login_url
        assert "correct username and password" in response.content.decode()


def test_an_inactive_users_app_password_is_refused(browser, client, alice):
    _response, token = create(browser)
    # Deactivated by a bulk update, which sends no signal: the app password stays, and the
    # backend itself refuses it (a save would also revoke it: httpauth.reader_access).
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    assert AppPassword.objects.filter(user=alice).exists()
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 401


def test_others_cannot_revoke_yours(browser, db):
    from django.contrib.auth import get_user_model

    create(browser)
    get_user_model().objects.create_user("mallory", "m@example.com", PASSWORD)
    mallory = Client()
    mallory.post("/accounts/login/", {"username": "mallory", "password": PASSWORD})
    pk = AppPassword.objects.get().pk
    assert mallory.post(f"/account/app-passwords/{pk}/revoke/").status_code == 404
    assert AppPassword.objects.exists()


def test_the_page_needs_a_signed_in_user(client, db):
    response = client.get("/account/app-passwords/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/account/app-passwords/"


def test_issue_gives_high_entropy_tokens(alice):
    tokens = {AppPassword.issue(alice, f"reader {n}")[1] for n in range(20)}
    assert len(tokens) == 20
    assert all(len(token) == len("app_") + 43 for token in tokens)
    assert AppPassword.objects.filter(created_at__lte=timezone.now()).count() == 20


# Finding 7: a session cookie alone, which may be stolen, must not make lasting feed access.


def test_a_session_alone_cannot_create_an_app_password(browser):
    session = browser.session
    session[SESSION_KEY] -= 601  # signed in more than the window ago: a stolen cookie, say
    session.save()
    response = browser.post("/account/app-passwords/", {"name": "attacker"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AppPassword.objects.exists()
    wrong = browser.post("/account/app-passwords/", {"name": "attacker", "password": "guess"})
    assert "That is not your password." in wrong.content.decode()
    assert not AppPassword.objects.exists()


def test_the_password_opens_the_window_again(browser):
    session = browser.session
    session[SESSION_KEY] -= 601
    session.save()
    form = browser.get("/account/app-passwords/").content.decode()
    assert 'name="password"' in form
    response = browser.post("/account/app-passwords/", {"name": "newsboat", "password": PASSWORD})
    assert TOKEN.search(response.content.decode())
    assert 'name="password"' not in browser.get("/account/app-passwords/").content.decode()


def test_wrong_passwords_on_the_form_end_in_a_lockout(browser):
    session = browser.session
    session[SESSION_KEY] -= 601
    session.save()
    for _ in range(5):  # AXES_FAILURE_LIMIT
        browser.post("/account/app-passwords/", {"name": "x", "password": "guess"})
    response = browser.post("/account/app-passwords/", {"name": "x", "password": PASSWORD})
    assert response.status_code == 429
    assert not AppPassword.objects.exists()


NEWSBOAT = "Newsboat/2.35.0 (Linux x86_64) " + "x" * 80  # longer than what is kept


def poll_with(token, user_agent=NEWSBOAT):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token), HTTP_USER_AGENT=user_agent)
    response = reader.get("/feed.rss")
    assert response.status_code == 200
    return response


def last_used_cell(browser):
    html = browser.get("/account/app-passwords/").content.decode()
    row = html.split("<tbody>")[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_list_says_by_what_it_was_last_used(browser, settings):
    settings.HTTPAUTH_READER_LABEL = None  # the User-Agent's first 60 characters
    settings.HTTPAUTH_READER_USE = None
    _response, token = create(browser)
    assert "never" in last_used_cell(browser)
    poll_with(token)
    assert AppPassword.objects.get().used_by == NEWSBOAT[:60]
    assert last_used_cell(browser).endswith(f"in the last 5 minutes by {NEWSBOAT[:60]} Revoke")
    AppPassword.objects.update(last_used_at=timezone.now() - timedelta(hours=3))
    assert last_used_cell(browser).endswith(f"3 hours ago by {NEWSBOAT[:60]} Revoke")


def test_what_a_reader_writes_in_its_user_agent_is_kept_printable(browser, settings):
    settings.HTTPAUTH_READER_LABEL = None
    _response, token = create(browser)
    poll_with(token, user_agent="Reader/1.0\x00\x1b[31m\tevil")
    assert AppPassword.objects.get().used_by == "Reader/1.0[31mevil"


def test_a_labeller_names_the_reader_and_one_that_raises_leaves_it_unnamed(
    browser, settings, caplog
):
    settings.HTTPAUTH_READER_USE = None
    settings.HTTPAUTH_READER_LABEL = lambda user_agent: user_agent.split("/")[0]
    _response, token = create(browser)
    poll_with(token)
    assert last_used_cell(browser).endswith("in the last 5 minutes by Newsboat Revoke")

    def broken(user_agent):
        raise RuntimeError("no rules")

    settings.HTTPAUTH_READER_LABEL = broken
    AppPassword.objects.update(last_used_at=timezone.now() - timedelta(minutes=6))
    poll_with(token)  # the poll goes on
    assert AppPassword.objects.get().used_by == ""
    assert "HTTPAUTH_READER_LABEL failed" in caplog.text
    assert last_used_cell(browser).endswith("in the last 5 minutes Revoke")


def test_the_project_may_say_how_each_was_used(browser, settings):
    settings.HTTPAUTH_READER_USE = lambda app_passwords: {
        app_password.pk: f"{len(app_password.name)} letters" for app_password in app_passwords
    }
    create(browser, name="NetNewsWire")
    assert last_used_cell(browser).endswith("never 11 letters Revoke")


@pytest.mark.parametrize("name", ["READER_LABEL", "READER_USE"])
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("no.such.module", "cannot be imported"),
        ("nothing", "cannot be imported"),
        (7, "is not callable"),
    ],
)
def test_hooks_that_are_not_callables_are_configuration_errors(settings, name, value, problem):
    from httpauth.checks import check_hooks

    setattr(settings, f"HTTPAUTH_{name}", value)
    [error] = [message for message in check_hooks(None) if name in message.msg]
    assert error.id == "httpauth.E007"
    assert problem in error.msg


def test_a_poll_with_an_app_password_costs_two_queries_no_get_and_no_hash(
    alice, hashes, memcached_objects, django_assert_num_queries
):
    """What it looks like is enough to ask for it first: the lockout, then the app password
    with its user, in one query. No memcached get: the address throttle lets app passwords
    through anyway, and the credential cache never remembers them. No password hash."""
    _app_password, token = AppPassword.issue(alice, "Newsboat")
    client = Client()
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token)).status_code == 200
    hashes.reset()
    gets = memcached_objects.stats()["cmd_get"]
    with django_assert_num_queries(2):
        response = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", token))
    assert response.status_code == 200
    assert response.content == b"user=alice"
    assert memcached_objects.stats()["cmd_get"] - gets == 0
    assert hashes.count == 0


def test_an_account_password_that_looks_like_an_app_password_still_opens(alice):
    alice.set_password("app_but-really-my-own-password")
    alice.save()
    response = Client().get(
        "/bare/", HTTP_AUTHORIZATION=basic("alice", "app_but-really-my-own-password")
    )
    assert response.status_code == 200
    assert response.content == b"user=alice"

"""Password resets: sent to a real SMTP server (aiosmtpd), read there, and followed.

The email leaves after the answer, in a thread of its own (accounts.password_reset), so
these tests commit their data (``transaction=True``) and wait for that thread.
"""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core import checks
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.password_reset import SENDER_THREAD
from httpauth.models import AppPassword, LimitCounter
from project.mail import SMTP, mail_settings
from tests.support.daemons import SMTPServer, free_port
from tests.support.users import PASSWORD

NEW_PASSWORD = "a new password, entirely"
LINK = re.compile(r"(https?)://([^/\s]+)(/accounts/reset/[^/\s]+/[^/\s]+/)")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def smtp():
    with SMTPServer() as server:
        yield server


def send_to(settings, port):
    """Send the site's email to an SMTP server on ``port`` (``settings``: pytest-django's)."""
    for name, value in mail_settings(SMTP, host="127.0.0.1", port=port, use_tls=False).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def mail_to(smtp, settings):
    smtp.messages.clear()
    send_to(settings, smtp.port)
    settings.ACCOUNTS_PASSWORD_RESET = True  # as the site's settings say with a mail server
    settings.DEFAULT_FROM_EMAIL = "site@example.org"
    settings.SITE_URL = ""
    return smtp


@pytest.fixture
def alice():
    alice = get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)
    AppPassword.issue(alice, "newsboat")
    return alice


def senders_finished():
    for thread in threading.enumerate():
        if thread.name == SENDER_THREAD:
            thread.join(10)
            assert not thread.is_alive()


def ask_for_a_reset(client, email, **extra):
    response = client.post("/accounts/password_reset/", {"email": email}, **extra)
    senders_finished()
    return response


def test_the_form_is_the_sites_own_and_sign_in_links_to_it(client):
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()
    response = client.get("/accounts/password_reset/")
    assert response.status_code == 200
    assert "<h1>Reset your password</h1>" in response.content.decode()
    assert "Django administration" not in response.content.decode()


def test_the_email_carries_a_link_that_sets_a_new_password_once(client, alice, smtp):
    elsewhere = Client()
    elsewhere.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = ask_for_a_reset(client, "alice@example.com")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password_reset/done/")
    assert "<h1>Check your email</h1>" in client.get(response["Location"]).content.decode()

    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert message["From"] == "site@example.org"
    assert message["Subject"] == "Reset your password on testserver"
    body = message.get_content()
    assert 'your account "alice" on testserver' in body
    scheme, host, path = LINK.search(body).groups()
    assert (scheme, host) == ("http", "testserver")

    form = client.get(path, follow=True)
    assert form.redirect_chain[-1][0].endswith("/set-password/")
    assert "<h1>Set a new password</h1>" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain == [("/accounts/reset/done/", 302)]
    assert (
        "your app passwords and secret feed\n    addresses, if you had any, are revoked"
        in done.content.decode()
    )

    signed_in = Client().post("/accounts/login/", {"username": "alice", "password": NEW_PASSWORD})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    assert not AppPassword.objects.filter(user=alice).exists()
    assert elsewhere.get("/account/")["Location"].startswith("/accounts/login/")
    again = client.get(path, follow=True)
    assert "<h1>This link no longer works</h1>" in again.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_queries(
    client, alice, smtp
):
    answers, users = [], get_user_model()._meta.db_table
    for n, email in enumerate(("alice@example.com", "nobody@example.com")):
        with CaptureQueriesContext(connection) as queries:  # the lookup follows the answer
            response = client.post("/accounts/password_reset/", {"email": email})
        answers.append((response.status_code, response["Location"], response.content))
        # Only the limits are counted (both counters new), and no user is looked up.
        statements = [
            q["sql"] for q in queries.captured_queries if '"' in q["sql"]
        ]  # no savepoints
        assert statements, n
        assert all(LimitCounter._meta.db_table in sql for sql in statements), n
        assert not any(users in sql for sql in statements), n
    senders_finished()
    assert answers[0] == answers[1] == (302, "/accounts/password_reset/done/", b"")
    assert [m["To"] for m in smtp.wait_for(1)] == ["alice@example.com"]


def test_the_link_names_the_sites_own_origin_whatever_the_host(client, alice, smtp, settings):
    settings.SITE_URL = "https://feeds.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    ask_for_a_reset(client, "alice@example.com", HTTP_HOST="attacker.example")
    [message] = smtp.wait_for(1)
    scheme, host, _ = LINK.search(message.get_content()).groups()
    assert (scheme, host) == ("https", "feeds.example.org")
    assert message["Subject"] == "Reset your password on feeds.example.org"


def assert_limited(response):
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Too many requests</h1>" in response.content.decode()
    assert "paused here for 60 minutes" in response.content.decode()


def test_one_address_may_ask_only_so_often(client, alice, smtp, settings):
    settings.ACCOUNTS_PASSWORD_RESET_LIMIT = 2
    for email in ("someone@example.com", "else@example.com"):
        assert ask_for_a_reset(client, email).status_code == 302
    assert_limited(ask_for_a_reset(client, "alice@example.com"))
    other = ask_for_a_reset(client, "alice@example.com", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert [m["To"] for m in smtp.wait_for(1)] == ["alice@example.com"]  # only the last


def test_one_email_address_may_be_asked_for_only_so_often(client, alice, smtp, settings):
    settings.ACCOUNTS_PASSWORD_RESET_LIMIT = 2
    for n, email in enumerate(("alice@example.com", " ALICE@example.com")):
        response = ask_for_a_reset(client, email, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 302
    assert_limited(ask_for_a_reset(client, "Alice@Example.com", REMOTE_ADDR="192.0.2.3"))
    assert len(smtp.wait_for(2)) == 2


def test_a_mail_server_that_is_down_is_logged_not_shown(client, alice, settings, caplog):
    send_to(settings, free_port())  # nothing listens there
    response = ask_for_a_reset(client, "alice@example.com")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password_reset/done/")
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.name == "django.contrib.auth"  # PasswordResetForm.send_mail's own log
    assert record.getMessage() == f"Failed to send password reset email to {alice.pk}"
    assert record.exc_info[0] is ConnectionRefusedError


def test_a_malformed_address_is_shown_on_the_form(client, smtp):
    response = client.post("/accounts/password_reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert smtp.messages == []


@pytest.mark.parametrize("name", ["PASSWORD_RESET_LIMIT", "PASSWORD_RESET_WINDOW"])
@pytest.mark.parametrize("value", [0, "5", True, None])
def test_limits_must_be_whole_numbers(settings, name, value):
    setattr(settings, f"ACCOUNTS_{name}", value)
    [error] = checks.run_checks(tags=["accounts"])
    assert error.id == "accounts.E001"
    assert error.msg == f"ACCOUNTS_{name} is {value!r}; it must be a whole number >= 1."


def test_a_failed_lookup_is_logged_after_the_same_answer(client, monkeypatch, caplog):
    def database_down(form, email):
        raise DatabaseError("database is down")

    monkeypatch.setattr(PasswordResetForm, "get_users", database_down)
    response = ask_for_a_reset(client, "alice@example.com")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password_reset/done/")
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.name == "accounts.password_reset"
    assert record.getMessage() == "password reset: the account lookup failed"
    assert record.exc_info[0] is DatabaseError


def test_with_password_reset_off_the_page_answers_503_and_no_email_leaves(
    client, alice, smtp, settings
):
    """SECURITY.md, second review, #2: outside DEBUG with no mail server, the link has nowhere safe
    to go."""
    settings.ACCOUNTS_PASSWORD_RESET = False
    for response in (
        client.get("/accounts/password_reset/"),
        ask_for_a_reset(client, "alice@example.com"),
    ):
        assert response.status_code == 503
        assert "no-cache" in response["Cache-Control"]
        html = response.content.decode()
        assert "<h1>Password reset unavailable</h1>" in html
        assert "Please ask an administrator to set one for you." in html
    assert smtp.messages == []


def test_one_ipv6_network_may_ask_only_so_often(client, alice, smtp, settings):
    """SECURITY.md, second review, #3: each address of one /64 counted apart."""
    settings.ACCOUNTS_PASSWORD_RESET_LIMIT = 2
    for n, email in enumerate(("someone@example.com", "else@example.com"), start=1):
        response = ask_for_a_reset(client, email, REMOTE_ADDR=f"2001:db8:5::{n}")
        assert response.status_code == 302
    assert_limited(ask_for_a_reset(client, "alice@example.com", REMOTE_ADDR="2001:db8:5::ff"))
    other = ask_for_a_reset(client, "alice@example.com", REMOTE_ADDR="2001:db8:6::1")
    assert other.status_code == 302


def test_a_flush_of_the_objects_cache_leaves_the_limits(client, alice, smtp, settings):
    """SECURITY.md, second review, #6: the counters lived in the objects cache, which staff could
    flush."""
    settings.ACCOUNTS_PASSWORD_RESET_LIMIT = 1
    assert ask_for_a_reset(client, "someone@example.com").status_code == 302
    caches["default"].clear()
    assert_limited(ask_for_a_reset(client, "alice@example.com"))


def test_a_refused_request_writes_nothing(client, alice, smtp, settings):
    """SECURITY.md, third review (its notes): each refused POST still wrote its counts."""
    settings.ACCOUNTS_PASSWORD_RESET_LIMIT = 1
    assert ask_for_a_reset(client, "alice@example.com").status_code == 302
    counts = list(LimitCounter.objects.values_list("key", "count"))
    for email in ("alice@example.com", "new@example.com"):  # the client's limit, a new email
        with CaptureQueriesContext(connection) as queries:
            assert_limited(ask_for_a_reset(client, email))
        writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == []
    assert list(LimitCounter.objects.values_list("key", "count")) == counts
    assert len(smtp.wait_for(1)) == 1

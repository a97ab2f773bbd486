"""ops.redaction: secrets masked in log lines, whatever carries them."""

import logging

from django.contrib.auth import get_user_model

from feeds.models import SecretAddress
from httpauth.models import AppPassword
from ops.redaction import RedactSecrets, redact


def test_the_secrets_the_apps_issue_are_masked(db):
    alice = get_user_model().objects.create_user("alice")
    _address, secret = SecretAddress.issue(alice, "members", "reader")
    _app_password, token = AppPassword.issue(alice, "reader")
    line = f'"GET /feeds/s/{secret}/members.rss?x={token} HTTP/1.1" 200'
    assert (
        redact(line) == '"GET /feeds/s/feed_[redacted]/members.rss?x=app_[redacted] HTTP/1.1" 200'
    )


def test_a_secret_cut_short_or_url_encoded_is_masked_and_words_are_not():
    assert redact("/feeds/s/feed_0123456789abcdef") == "/feeds/s/feed_[redacted]"
    assert redact("next=%2Ffeeds%2Fs%2Ffeed_0123456789abcdefXYZ%2Fstaff.rss") == (
        "next=%2Ffeeds%2Fs%2Ffeed_[redacted]%2Fstaff.rss"
    )
    assert redact("manage.py feed_url; revoked_app_passwords") == (
        "manage.py feed_url; revoked_app_passwords"
    )


def test_the_filter_masks_the_message_and_the_traceback():
    secret = "feed_" + "s" * 43
    try:
        raise ValueError(f"bad address /feeds/s/{secret}/")
    except ValueError as exc:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error at %s", (f"/feeds/s/{secret}/",),
            (type(exc), exc, exc.__traceback__),
        )  # fmt: skip
    assert RedactSecrets().filter(record) is True
    line = logging.Formatter("%(message)s").format(record)
    assert secret not in line
    assert "Error at /feeds/s/feed_[redacted]/" in line
    assert "ValueError: bad address /feeds/s/feed_[redacted]/" in line


def test_a_percent_encoded_secret_is_masked():
    """Django decodes the path, so these open the feed: finding 5 of issue 17."""
    body = "tHcsr-7BRVwXjj8CG0uU6KJKds96y5Ig5qKtWTgB6dM"
    assert redact(f"GET /feeds/s/feed%5F{body}/members.rss") == (
        "GET /feeds/s/feed_[redacted]/members.rss"
    )
    assert redact(f"GET /feeds/s/%66eed_{body}/members.rss") == (
        "GET /feeds/s/%66eed_[redacted]/members.rss"
    )
    assert redact(f"/feeds/s/%66%65%65%64%5f%74{body[1:]}/staff.rss") == (
        "/feeds/s/%66%65%65%64_[redacted]/staff.rss"
    )
    assert redact(f"?next=%2Ffeeds%2Fs%2Ffeed%5F{body}%2Fmembers.rss") == (
        "?next=%2Ffeeds%2Fs%2Ffeed_[redacted]%2Fmembers.rss"
    )
    assert redact(f"x=app%5f{body}") == "x=app_[redacted]"


def test_a_password_reset_token_is_masked():
    """Finding 9 of issue 17: the token sets the account's password."""
    token = "diujsq-ff69a7b2940ffa5219a98e8707651a7c"
    assert redact(f'"GET /accounts/reset/Ng/{token}/ HTTP/1.1" 302') == (
        '"GET /accounts/reset/Ng/[redacted]/ HTTP/1.1" 302'
    )
    assert redact(f"next=%2Faccounts%2Freset%2FNg%2F{token}%2F") == (
        "next=%2Faccounts%2Freset%2FNg%2F[redacted]%2F"
    )
    # Django's next step carries no token.
    assert redact("/accounts/reset/Ng/set-password/") == "/accounts/reset/Ng/set-password/"

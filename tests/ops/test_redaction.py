"""ops.redaction: secrets masked in log lines, whatever carries them. The feeds' own secret
addresses: tests/feeds/test_redaction.py."""

import logging

import pytest

from httpauth.models import AppPassword
from ops import redaction
from ops.redaction import RedactSecrets, redact

BODY = "tHcsr-7BRVwXjj8CG0uU6KJKds96y5Ig5qKtWTgB6dM"


def test_an_app_password_is_masked(alice):
    _app_password, token = AppPassword.issue(alice, "reader")
    line = f'"GET /bare/?x={token} HTTP/1.1" 200'
    assert redact(line) == '"GET /bare/?x=app_[redacted] HTTP/1.1" 200'


@pytest.fixture
def prefixes():
    """Secrets of a prefix "pw_" too, for this test; the models' prefixes again afterwards."""
    redaction.use_secret_prefixes(["pw_", "app_"])
    yield
    redaction.learn_secret_prefixes()


def test_the_prefixes_are_those_of_the_reader_secret_models(prefixes):
    assert redact(f"/x/pw_{BODY}/") == "/x/pw_[redacted]/"
    redaction.learn_secret_prefixes()
    assert redact(f"/x/pw_{BODY}/") == f"/x/pw_{BODY}/"
    assert redact(f"/x/app_{BODY}/") == "/x/app_[redacted]/"


def test_without_any_prefix_only_the_other_secrets_are_masked(prefixes):
    redaction.use_secret_prefixes([])
    assert redact(f"/x/app_{BODY}/ Basic dXNlcjpwYXNzd29yZA==") == (
        f"/x/app_{BODY}/ Basic [redacted]"
    )


def test_a_secret_cut_short_or_url_encoded_is_masked_and_words_are_not():
    assert redact("/x/app_0123456789abcdef") == "/x/app_[redacted]"
    assert redact("next=%2Fx%2Fapp_0123456789abcdefXYZ%2Fstaff.rss") == (
        "next=%2Fx%2Fapp_[redacted]%2Fstaff.rss"
    )
    assert redact("manage.py app_label; revoked_app_passwords") == (
        "manage.py app_label; revoked_app_passwords"
    )


def test_the_filter_masks_the_message_and_the_traceback():
    secret = "app_" + "s" * 43
    try:
        raise ValueError(f"bad password {secret}")
    except ValueError as exc:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error at %s", (f"/x/{secret}/",),
            (type(exc), exc, exc.__traceback__),
        )  # fmt: skip
    assert RedactSecrets().filter(record) is True
    line = logging.Formatter("%(message)s").format(record)
    assert secret not in line
    assert "Error at /x/app_[redacted]/" in line
    assert "ValueError: bad password app_[redacted]" in line


def test_a_percent_encoded_secret_is_masked():
    """Django decodes the path, so a secret in it may come escaped (SECURITY.md, finding 5)."""
    assert redact(f"x=app%5f{BODY}") == "x=app_[redacted]"
    assert redact(f"x=%61pp_{BODY}") == "x=%61pp_[redacted]"
    assert redact(f"x=%61%70%70%5f%74{BODY[1:]}") == "x=%61%70%70_[redacted]"


def test_a_password_reset_token_is_masked():
    """SECURITY.md, finding 9: the token sets the account's password."""
    token = "diujsq-ff69a7b2940ffa5219a98e8707651a7c"
    assert redact(f'"GET /accounts/reset/Ng/{token}/ HTTP/1.1" 302') == (
        '"GET /accounts/reset/Ng/[redacted]/ HTTP/1.1" 302'
    )
    assert redact(f"next=%2Faccounts%2Freset%2FNg%2F{token}%2F") == (
        "next=%2Faccounts%2Freset%2FNg%2F[redacted]%2F"
    )
    # Django's next step carries no token.
    assert redact("/accounts/reset/Ng/set-password/") == "/accounts/reset/Ng/set-password/"


def test_credentials_quoted_anywhere_are_masked():
    assert redact("header: Basic dXNlcjpwYXNzd29yZA== and Bearer abcdefgh12345678") == (
        "header: Basic [redacted] and Bearer [redacted]"
    )


# SECURITY.md, third review, #8: a reset link with any character escaped still
# works (Django decodes the path) and was logged in clear; so were escapes escaped again.

TOKEN = "diujsq-ff69a7b2940ffa5219a98e8707651a7c"


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/reset/Ng/{TOKEN.replace('-', '%2D')}/",
        f"/accounts/reset/Ng/{TOKEN.replace('-', '%2d')}/",
        f"/accounts/reset/Ng/{TOKEN.replace('b', '%62')}/",  # one hex digit
        f"/accounts/reset/Ng/%64{TOKEN[1:]}/",  # the timestamp's first character
        f"/accounts/%72eset/Ng/{TOKEN}/",
        f"/accounts/reset/%4Eg/{TOKEN}/",  # the uid
        f"/accounts/reset/Ng/{TOKEN.replace('-', '%252D')}/",  # escaped twice
        f"/accounts/reset%252FNg%252F{TOKEN}/",
    ],
)
def test_a_reset_token_with_any_escape_is_masked(path):
    masked = redact(f'"GET {path} HTTP/1.1" 302')
    assert TOKEN.split("-")[1][:20] not in masked.replace("%62", "b")
    assert "[redacted]" in masked


def test_a_secret_escaped_twice_is_masked(alice):
    _app_password, token = AppPassword.issue(alice, "reader")
    for escaped in (
        token.replace("_", "%255F", 1),
        "%2561" + token[1:],
        token.replace("_", "%25255f", 1),
    ):
        masked = redact(f"/feeds/s/{escaped}/members.rss")
        assert token[4:24] not in masked
        assert masked.endswith("_[redacted]/members.rss")


def test_any_number_of_secrets_in_one_query_string_are_masked(alice):
    tokens = [AppPassword.issue(alice, f"reader {n}")[1] for n in range(5)]
    query = "&".join(f"s{n}={token}" for n, token in enumerate(tokens))
    masked = redact(f'"GET /?{query}&r=%2Faccounts%2Freset%2FNg%2F{TOKEN}%2F HTTP/1.1" 200')
    assert masked.count("app_[redacted]") == 5
    assert not any(token[4:24] in masked for token in tokens)
    assert TOKEN not in masked

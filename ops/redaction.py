"""Secrets kept out of the logs: what a feed reader uses as a credential never reaches a line.

A secret feed address carries its secret in the path (feeds.models.SecretAddress), so every
line that names a path would carry it: gunicorn's access log, Django's "Not Found: ...", a
Referer, a sign-in link's ?next=. An app password (httpauth.models) pasted into the wrong
field could end up there too. ``redact`` masks three things, wherever they appear in a line
and however they are percent-encoded:

- every secret given to a feed reader: the ``PREFIX`` its model declares (httpauth.reader_access
  lists the models; ``OpsConfig.ready()`` learns them), then 43 URL-safe characters;
- the token of a password reset link (``/accounts/reset/<uid>/<token>/``), which sets the
  account's password;
- the credentials of an ``Authorization`` header quoted anywhere ("Basic dXNlcjpwYXNz",
  "Bearer ...").

``RedactSecrets`` is the logging filter that applies it to each record: on the handler of the
settings' LOGGING, and on gunicorn's error and access loggers (gunicorn.conf.py). The JSON
formatter (ops.logs) applies it to each whole line, and error reports (ops.sentry)
to each string of an event.
"""

import logging
import re


def _or_escaped(characters):
    """A pattern for one of ``characters``, or its percent-escape, escaped again any number of
    times (``%5F``, ``%255F``, ...): Django decodes the path before matching URLs, so
    ``/feeds/s/feed%5F...`` and ``%66eed_...`` open the feed too, and a log line carries the
    path as the client wrote it; an escape escaped again opens nothing, but is one unescaping
    away from the secret, so it is masked too."""
    codes = sorted({f"{ord(c):02{case}}" for c in characters for case in "Xx"})
    return f"(?:[{re.escape(characters)}]|%(?:25)*(?:{'|'.join(codes)}))"


def _escapable(word):
    """``word``, any of its characters percent-escaped."""
    return "".join(_or_escaped(c) for c in word)


URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


MASK = r"\1_[redacted]"
# A secret: its prefix ("app", "feed"), "_", then secrets.token_urlsafe(32). 16 characters or
# more, so that a secret cut short is masked too, and words such as "feed_url" are not;
# anywhere, as in a URL-encoded ?next=%2Ffeeds%2Fs%2Ffeed_...
_SECRET_TAIL = r"_[A-Za-z0-9_-]{16,}"  # noqa: S105 - a pattern, not a password
# The same with any of its characters percent-escaped. Three times slower to scan for, so
# only tried on text that has a "%" (every log line is redacted: ops.logs).
_ESCAPED_SECRET_TAIL = _or_escaped("_") + _or_escaped(URL_SAFE) + "{16,}"
# Both patterns for the prefixes learned so far, plain and escaped; None before any (gunicorn's
# master, which imports this module before Django is set up, logs no request).
_secrets: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def use_secret_prefixes(prefixes):
    """Mask secrets that start with one of ``prefixes`` ("app_", "feed_") from now on."""
    global _secrets
    words = sorted({prefix.rstrip("_") for prefix in prefixes})
    if not words:
        _secrets = None
        return
    escaped_words = (_escapable(word) for word in words)
    _secrets = (
        re.compile(f"({'|'.join(map(re.escape, words))}){_SECRET_TAIL}"),
        re.compile(f"((?:{'|'.join(escaped_words)})){_ESCAPED_SECRET_TAIL}"),
    )


def learn_secret_prefixes():
    """Mask the secrets of every reader-secret model installed (httpauth.reader_access)."""
    from httpauth.reader_access import reader_secret_models  # needs the app registry

    use_secret_prefixes(model.PREFIX for model in reader_secret_models())


# A password reset link, /accounts/reset/<uidb64>/<token>/ (Django's PasswordResetConfirmView):
# the token, "<timestamp in base 36>-<32 hex digits>", sets the account's password until it
# is used or PASSWORD_RESET_TIMEOUT passes. The slashes may be escaped, as in ?next=; and, as
# for secrets, any character may be (the link still works: Django decodes the path).
RESET_TOKEN = re.compile(
    r"(reset(?:/|%2[Ff])[A-Za-z0-9_-]+(?:/|%2[Ff]))[0-9a-z]{1,13}-[0-9a-f]{20,}"
)
ESCAPED_RESET_TOKEN = re.compile(
    f"({_escapable('reset')}{_or_escaped('/')}{_or_escaped(URL_SAFE)}+{_or_escaped('/')})"
    f"{_or_escaped('0123456789abcdefghijklmnopqrstuvwxyz')}{{1,13}}{_or_escaped('-')}"
    f"{_or_escaped('0123456789abcdef')}{{20,}}"
)
RESET_MASK = r"\1[redacted]"


# An Authorization header's credentials: base64 (Basic) or a token (Bearer, RFC 6750).
CREDENTIALS = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
CREDENTIALS_MASK = r"\1 [redacted]"


def redact(text):
    """``text`` with every secret in it masked."""
    escaped = "%" in text  # the escaped patterns are slower: only where they can match
    if _secrets is not None:
        secret, escaped_secret = _secrets
        text = secret.sub(MASK, text)
        if escaped:
            text = escaped_secret.sub(MASK, text)
    text = RESET_TOKEN.sub(RESET_MASK, text)
    if escaped:
        text = ESCAPED_RESET_TOKEN.sub(RESET_MASK, text)
    return CREDENTIALS.sub(CREDENTIALS_MASK, text)


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message and traceback; lets every record through."""

    def filter(self, record):
        message = record.getMessage()
        if (redacted := redact(message)) != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


#: The one instance that gunicorn.conf.py adds to gunicorn's loggers (adding it twice is a no-op).
REDACT_SECRETS = RedactSecrets()

"""Secrets kept out of the logs: what a feed reader uses as a credential never reaches a line.

A secret feed address carries its secret in the path (feeds.models.SecretAddress), so every
line that names a path would carry it: gunicorn's access log, Django's "Not Found: ...", a
Referer, a sign-in link's ?next=. An app password (httpauth.models) pasted into the wrong
field could end up there too. Both start with a prefix and 43 URL-safe characters, which is
what ``redact`` masks, wherever it appears in a line; and the credentials of an
``Authorization`` header quoted anywhere ("Basic dXNlcjpwYXNz", "Bearer ...").

``RedactSecrets`` is the logging filter that applies it to each record: on the handler of the
settings' LOGGING, and on gunicorn's error and access loggers (gunicorn.conf.py). The JSON
formatter (project.logs) applies it to each whole line, and error reports (project.sentry)
to each string of an event.
"""

import logging
import re

MASK = r"\1_[redacted]"
# feeds.models.SecretAddress.PREFIX and httpauth.models.PREFIX, then secrets.token_urlsafe(32).
# 16 characters or more, so that a secret cut short is masked too, and words such as
# "feed_url" are not; anywhere, as in a URL-encoded ?next=%2Ffeeds%2Fs%2Ffeed_...
SECRET = re.compile(r"(feed|app)_[A-Za-z0-9_-]{16,}")


# An Authorization header's credentials: base64 (Basic) or a token (Bearer, RFC 6750).
CREDENTIALS = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
CREDENTIALS_MASK = r"\1 [redacted]"


def redact(text):
    """``text`` with every secret in it masked."""
    return CREDENTIALS.sub(CREDENTIALS_MASK, SECRET.sub(MASK, text))


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

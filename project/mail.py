"""Where the site's email goes, in the settings the running Django reads.

Django 5.2 LTS reads EMAIL_BACKEND and EMAIL_HOST...; Django 6.1 replaces them with MAILERS
and warns about each one still set. The settings, and the tests that send to an SMTP server of
their own, ask ``mail_settings`` for whichever the running Django reads, so the site runs on
both without a warning (docs/development.md: the newest Django).

Without a mail server (``DJANGO_EMAIL_HOST`` unset), email goes nowhere outside DEBUG: a
password reset link in a log lets whoever reads the log take the account over, and anyone can
ask for one. The site's settings then turn password reset off (its pages answer 503, see
accounts) and ``UnsentBackend`` drops anything else with a warning. In DEBUG,
``ConsoleBackend`` writes each email to the log, link included, for the developer.
"""

import logging

import django
from django.core.mail.backends.base import BaseEmailBackend

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "project.mail.ConsoleBackend"
UNSENT = "project.mail.UnsentBackend"

#: The logger of both: LOGGING gives it a handler without redaction in DEBUG only.
logger = logging.getLogger("project.mail")


class ConsoleBackend(BaseEmailBackend):
    """Each email to the log as one record, its text as it reads (Django 6.1's console backend
    encodes a line longer than 78 characters as quoted-printable, which splits the password
    reset link a developer copies from the log). DEBUG only (project/settings.py)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            headers = {"Subject": message.subject, "From": message.from_email}
            headers.update(To=", ".join(message.to), Cc=", ".join(message.cc))
            lines = [f"{name}: {value}" for name, value in headers.items() if value]
            logger.info("An email, not sent (DEBUG):\n%s\n\n%s", "\n".join(lines), message.body)
        return len(email_messages)


class UnsentBackend(BaseEmailBackend):
    """Outside DEBUG with no mail server: each email dropped, with a warning that names the
    setting and neither the text nor the recipients."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.warning(
                "An email was not sent: no mail server is configured (DJANGO_EMAIL_HOST). "
                "Subject: %s",
                message.subject,
            )
        return 0


# The SMTP backend's options, as MAILERS names them, and the EMAIL_* setting of each.
EMAIL_SETTINGS = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
}


def sending_backend():
    """The email backend the running Django sends through, as a dotted path."""
    from django.conf import settings

    if django.VERSION >= (6, 1):
        # Django 6.1's setting; django-stubs describes 5.2.
        return settings.MAILERS["default"]["BACKEND"]  # type: ignore[misc]
    return settings.EMAIL_BACKEND


def mail_settings(backend, **options):
    """Return the settings that send email through ``backend`` with ``options`` (the SMTP
    backend's: host, port, username, password, use_tls, timeout)."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    return {"EMAIL_BACKEND": backend, **{EMAIL_SETTINGS[name]: options[name] for name in options}}

"""Where the site's email goes, in the settings the running Django reads.

Django 5.2 LTS reads EMAIL_BACKEND and EMAIL_HOST...; Django 6.1 replaces them with MAILERS
and warns about each one still set. The settings, and the tests that send to an SMTP server of
their own, ask ``mail_settings`` for whichever the running Django reads, so the site runs on
both without a warning (docs/development.md: the newest Django).

Without a mail server, email goes to the log through ``ConsoleBackend``.
"""

import django
from django.core.mail.backends import console

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "project.mail.ConsoleBackend"


class ConsoleBackend(console.EmailBackend):
    """Django's console backend with the text written as it reads: Django 6.1 encodes a line
    longer than 78 characters as quoted-printable, which splits the password reset link a
    developer copies from the log."""

    def write_message(self, message):
        headers = {"Subject": message.subject, "From": message.from_email}
        headers.update(To=", ".join(message.to), Cc=", ".join(message.cc))
        for name, value in headers.items():
            if value:
                self.stream.write(f"{name}: {value}\n")
        self.stream.write(f"\n{message.body}\n{'-' * 79}\n")


# The SMTP backend's options, as MAILERS names them, and the EMAIL_* setting of each.
EMAIL_SETTINGS = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
}


def mail_settings(backend, **options):
    """Return the settings that send email through ``backend`` with ``options`` (the SMTP
    backend's: host, port, username, password, use_tls, timeout)."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    return {"EMAIL_BACKEND": backend, **{EMAIL_SETTINGS[name]: options[name] for name in options}}

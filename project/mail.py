"""Where the site's email goes, in the settings the running Django reads.

Django 5.2 LTS reads EMAIL_BACKEND and EMAIL_HOST...; Django 6.1 replaces them with MAILERS
and warns about each one still set. The settings, and the tests that send to an SMTP server of
their own, ask ``mail_settings`` for whichever the running Django reads, so the site runs on
both without a warning (docs/development.md: the newest Django).
"""

import django

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"

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

"""The project's settings, stricter, for the site of tests/served/test_strict_site.py: every
page behind sign-in (Django's LoginRequiredMiddleware), limits a few requests reach (sessions a
user, failed Basic checks an address), so their tests through gunicorn stay short, and the
account password asked for every new app password (a re-authentication window of 0)."""

from project.settings import *  # noqa: F403 - the real settings, some of them changed

_AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index(_AUTHENTICATION) + 1, "django.contrib.auth.middleware.LoginRequiredMiddleware"
)
SESSIONS_BACKEND_MAX_SESSIONS = 3
HTTPAUTH_ADDRESS_FAILURE_LIMIT = 5
HTTPAUTH_REAUTHENTICATION_WINDOW = 0

"""The project's settings, stricter, for the gunicorn site of tests/test_gunicorn.py that
checks findings 6 and 11 of the hardening: every page behind sign-in (Django's
LoginRequiredMiddleware), and few sessions a user, so the cap is reached in a few sign-ins."""

from project.settings import *  # noqa: F403 - the real settings, two of them changed

_AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index(_AUTHENTICATION) + 1, "django.contrib.auth.middleware.LoginRequiredMiddleware"
)
SESSIONS_BACKEND_MAX_SESSIONS = 3

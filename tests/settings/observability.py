"""The project's settings for the gunicorn site of tests/served/test_observability.py: one URL more,
a view that fails with credentials in its message (tests/settings/observability_urls.py)."""

from project.settings import *  # noqa: F403 - the real settings, one of them changed

ROOT_URLCONF = "tests.settings.observability_urls"

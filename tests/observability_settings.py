"""The project's settings for the gunicorn site of tests/test_observability.py: one URL more,
a view that fails with credentials in its message (tests/observability_urls.py)."""

from project.settings import *  # noqa: F403 - the real settings, one of them changed

ROOT_URLCONF = "tests.observability_urls"

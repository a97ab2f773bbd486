"""The project's settings with Django's own database session engine, the baseline
bench/load.py serves next to the site (the site itself offers only this project's two)."""

from project.settings import *  # noqa: F403 - the real settings, one engine changed

SESSION_ENGINE = "django.contrib.sessions.backends.db"

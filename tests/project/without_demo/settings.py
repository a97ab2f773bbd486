"""The project's settings without the demo layer: what a site that removed "feeds" and "demo"
from INSTALLED_APPS runs, and nothing else changed (tests/project/test_without_demo.py)."""

from project.settings import *  # noqa: F403 - the real settings, minus two apps

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("feeds", "demo")]  # noqa: F405
# The project's URLs, and one view that fails, to see the 500 page.
ROOT_URLCONF = "tests.project.without_demo.urls"

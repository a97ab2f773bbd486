"""The project's settings without the demo layer: what a site that removed "feeds" and "demo"
from INSTALLED_APPS runs, and nothing else changed (tests/project/test_without_demo.py)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from project.settings import *  # noqa: F403 - the real settings, minus two apps

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("feeds", "demo")]  # noqa: F405
# The project's URLs, and one view that fails, to see the 500 page.
ROOT_URLCONF = "tests.project.without_demo.urls"

# Static files of their own: collected into the project's STATIC_ROOT, this smaller set would
# replace the manifest that the gunicorn tests serve from (without feeds/copy.js: 500s).
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="static-without-demo-"))
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)

"""sessions_backend and httpauth travel: each passes its own tests inside a minimal project
(tests/<app>/settings.py) that has none of this site: Django's user model, no other app of
ours, none of the site's templates or URLs."""

import importlib
import re
import subprocess
import sys

import pytest

from tests.daemons import BASE_DIR

OUR_APPS = {"accounts", "sessions_backend", "httpauth", "feeds", "demo"}


@pytest.mark.parametrize("app", ["sessions_backend", "httpauth"])
def test_the_minimal_settings_hold_the_app_alone(app):
    minimal = importlib.import_module(f"tests.{app}.settings")
    assert OUR_APPS & set(minimal.INSTALLED_APPS) == {app}
    assert not hasattr(minimal, "AUTH_USER_MODEL")  # Django's own auth.User
    assert all("DIRS" not in engine for engine in minimal.TEMPLATES)  # no site templates


@pytest.mark.slow
@pytest.mark.parametrize("app", ["sessions_backend", "httpauth"])
def test_the_app_passes_its_own_tests_in_a_minimal_project(app):
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", f"tests/{app}", "-p", "no:cacheprovider"),
            *("--ds", f"tests.{app}.settings", "-q"),
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    # Everything ran and passed: nothing skipped, deselected or failed.
    assert re.fullmatch(r"\d+ passed in [\d.]+s(?: \(\d+:\d+:\d+\))?", summary), summary

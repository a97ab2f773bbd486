"""sessions_backend and httpauth travel: each passes its own tests inside a minimal project
(tests/settings/<app>.py) that has none of this site: Django's user model, no other app of
ours, none of the site's templates or URLs."""

import importlib

import pytest

from tests.support.standalone import BASE_DIR, run_pytest

OUR_APPS = {"accounts", "sessions_backend", "httpauth", "feeds", "demo"}


@pytest.mark.parametrize("app", ["sessions_backend", "httpauth"])
def test_the_minimal_settings_hold_the_app_alone(app):
    minimal = importlib.import_module(f"tests.settings.{app}")
    assert OUR_APPS & set(minimal.INSTALLED_APPS) == {app}
    assert not hasattr(minimal, "AUTH_USER_MODEL")  # Django's own auth.User
    site_templates = BASE_DIR / "templates"
    assert all(site_templates not in engine.get("DIRS", []) for engine in minimal.TEMPLATES)


@pytest.mark.slow
@pytest.mark.parametrize("app", ["sessions_backend", "httpauth"])
def test_the_app_passes_its_own_tests_in_a_minimal_project(app):
    assert run_pytest(f"tests.settings.{app}", f"tests/{app}") > 100

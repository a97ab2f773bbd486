"""manage.py release (project/management/commands/release.py): the one release step every
deployment runs, each installed app's own steps included. The demo's step: tests/demo/."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from project.management.commands.release import release_commands


def release(*args):
    out = StringIO()
    call_command("release", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_without_the_demo_the_superuser_is_the_one_step(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "demo"]
    assert release_commands() == [("ensure_superuser",)]


@pytest.mark.django_db
def test_release_migrates_then_runs_each_apps_steps_in_app_order(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-release-step-password-0123")
    monkeypatch.setenv("SEED_DEMO", "false")
    lines = release().splitlines()
    steps = [line for line in lines if line.startswith("Release step: ")]
    assert steps == [f"Release step: manage.py {' '.join(c)}" for c in release_commands()]
    assert steps[0] == "Release step: manage.py ensure_superuser"  # accounts comes first
    assert lines.index(steps[0]) > lines.index("Operations to perform:")  # after migrate
    assert get_user_model().objects.get(username="root").is_superuser


@pytest.mark.django_db
def test_a_deployment_check_error_stops_the_release_before_any_step(settings, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-release-step-password-0123")
    settings.OPS_TRUSTED_PROXIES = ["192.0.2.0/24"]  # a documentation network: ops.E003
    with pytest.raises(SystemCheckError, match=r"ops\.E003"):
        release("--deploy")
    assert not get_user_model().objects.filter(username="root").exists()

"""The demo's release step: declared by the demo app (DemoConfig.release_commands), so it runs
wherever manage.py release runs and leaves with the app (docs/make-it-yours.md)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from project.management.commands.release import release_commands

DEMO_USERS = ["alice", "bob"]


def release():
    out = StringIO()
    call_command("release", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_demo_data_comes_after_the_superuser_and_leaves_with_the_app(settings):
    steps = release_commands()
    assert steps.index(("seed_demo", "--if-enabled")) > steps.index(("ensure_superuser",))
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "demo"]
    assert ("seed_demo", "--if-enabled") not in release_commands()


@pytest.mark.django_db
def test_release_seeds_the_demo_unless_seed_demo_is_false(monkeypatch):
    monkeypatch.setenv("SEED_DEMO", "false")
    assert "SEED_DEMO is false: no demo data created." in release()
    assert not get_user_model().objects.filter(username__in=DEMO_USERS).exists()
    monkeypatch.setenv("SEED_DEMO", "true")
    assert "Release step: manage.py seed_demo --if-enabled" in release()
    assert get_user_model().objects.filter(username__in=DEMO_USERS).count() == 2

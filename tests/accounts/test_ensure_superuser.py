from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def ensure_superuser():
    out = StringIO()
    call_command("ensure_superuser", stdout=out)
    return out.getvalue()


def test_creates_the_superuser_the_environment_names_once(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-456")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    assert ensure_superuser() == "Created superuser root.\n"
    root = get_user_model().objects.get(username="root")
    assert (root.is_superuser, root.is_staff, root.email) == (True, True, "root@example.com")
    assert root.check_password("root-pass-456")
    assert ensure_superuser() == "Superuser root exists; left unchanged.\n"
    assert get_user_model().objects.count() == 1


def test_does_nothing_when_no_superuser_is_configured(monkeypatch):
    for name in ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert ensure_superuser() == ""
    assert not get_user_model().objects.exists()


def test_half_a_superuser_configuration_is_an_error(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Set both DJANGO_SUPERUSER_USERNAME and"):
        ensure_superuser()
    assert not get_user_model().objects.exists()


def test_the_password_may_come_from_a_file(monkeypatch, tmp_path):
    """SECURITY.md, third review (its notes): on Kubernetes it would otherwise sit in the
    ConfigMap."""
    secret = tmp_path / "superuser_password"
    secret.write_text("from-a-secret-789\n")
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD_FILE", str(secret))
    assert ensure_superuser() == "Created superuser root.\n"
    assert get_user_model().objects.get(username="root").check_password("from-a-secret-789")


def test_a_password_file_that_cannot_be_read_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match=r"DJANGO_SUPERUSER_PASSWORD_FILE is .*cannot be read"):
        ensure_superuser()
    assert not get_user_model().objects.exists()

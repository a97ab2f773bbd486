import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from feeds.models import Entry

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_creates_alice_as_member_and_bob_as_staff_with_demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    output = seed()
    alice = get_user_model().objects.get(username="alice")
    bob = get_user_model().objects.get(username="bob")
    assert (alice.is_staff, alice.is_superuser) == (False, False)
    assert (bob.is_staff, bob.is_superuser) == (True, False)
    assert alice.check_password("demo-pass-123")
    assert bob.check_password("demo-pass-123")
    assert "demo-pass-123" not in output
    assert "Created alice (a member) with DEMO_PASSWORD." in output


def test_generates_and_prints_each_password_once(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = seed()
    passwords = dict(re.findall(r"Created (\w+) \(.*?\) with password (\S+) ", first))
    assert set(passwords) == {"alice", "bob"}
    assert passwords["alice"] != passwords["bob"]
    for username, password in passwords.items():
        assert get_user_model().objects.get(username=username).check_password(password)

    second = seed()
    assert "password" not in second
    assert "alice (a member) exists; left unchanged." in second
    assert get_user_model().objects.get(username="alice").check_password(passwords["alice"])
    assert get_user_model().objects.count() == 2
    assert Entry.objects.count() == 30


def test_creates_a_superuser_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-456")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    assert "Created superuser root." in seed()
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser
    assert root.email == "root@example.com"
    assert root.check_password("root-pass-456")
    assert "Superuser root exists; left unchanged." in seed()


def test_half_a_superuser_configuration_is_an_error(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Set both DJANGO_SUPERUSER_USERNAME and"):
        seed()
    # The run is one transaction: nothing half-done stays behind.
    assert not get_user_model().objects.exists()


def test_remove_deletes_only_the_demo_data(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    seed()
    carol = get_user_model().objects.create_user("carol")
    Entry.objects.create(title="Carol's", slug="carols", body="Mine.", author=carol)
    assert "Removed the demo data: 30 entries, 2 users." in seed("--remove")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["carol"]
    assert list(Entry.objects.values_list("slug", flat=True)) == ["carols"]


def test_creates_about_thirty_entries_across_visibilities_once(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    assert "Demo entries: 30 created, 0 already there." in seed()
    assert "Demo entries: 0 created, 30 already there." in seed()
    counts = dict(
        Entry.objects.values_list("visibility")
        .annotate(n=Count("pk"))
        .values_list("visibility", "n")
    )
    assert counts == {"public": 19, "members": 8, "staff": 3}
    assert Entry.objects.filter(published_at__isnull=True).count() == 2


def test_bob_may_read_the_staff_feed_and_alice_may_not(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    seed()
    users = get_user_model().objects
    assert users.get(username="bob").has_perm("feeds.view_entry") is True
    assert users.get(username="alice").has_perm("feeds.view_entry") is False

import re
from io import StringIO

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from feeds.models import Entry
from tests.support.daemons import BASE_DIR

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
    assert set(passwords) == {"alice", "bob", "carol"}
    assert passwords["alice"] != passwords["bob"]
    for username, password in passwords.items():
        assert get_user_model().objects.get(username=username).check_password(password)

    second = seed()
    assert "password" not in second
    assert "alice (a member) exists; left unchanged." in second
    assert get_user_model().objects.get(username="alice").check_password(passwords["alice"])
    assert get_user_model().objects.count() == 3
    assert Entry.objects.count() == 30


def test_carol_signs_in_with_the_documented_key(monkeypatch):
    """docs/demo.md prints carol's key: an authenticator app given it makes her codes."""
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    output = seed()
    documented = re.search(r"\*\*`([A-Z2-7]{32})`\*\*", (BASE_DIR / "docs/demo.md").read_text())
    assert f"given the key {documented.group(1)} (docs/demo.md)" in output
    carol = get_user_model().objects.get(username="carol")
    assert carol.has_second_factor
    client = Client()
    client.post("/accounts/login/", {"username": "carol", "password": "demo-pass-123"})
    assert client.get("/account/")["Location"].startswith("/accounts/confirm/")
    code = pyotp.TOTP(documented.group(1)).now()
    assert client.post("/accounts/confirm/", {"code": code})["Location"] == "/"
    assert client.get("/account/").status_code == 200
    assert "carol signs in" not in seed()  # once


def test_if_enabled_seeds_unless_seed_demo_is_false(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    monkeypatch.setenv("SEED_DEMO", "false")
    assert seed("--if-enabled") == "SEED_DEMO is false: no demo data created.\n"
    assert not get_user_model().objects.exists()
    assert not Entry.objects.exists()
    monkeypatch.delenv("SEED_DEMO")
    assert "Demo entries: 30 created, 0 already there." in seed("--if-enabled")


def test_a_malformed_seed_demo_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("SEED_DEMO", "maybe")
    with pytest.raises(CommandError, match=r"Configuration error: SEED_DEMO is 'maybe'; expected"):
        seed("--if-enabled")
    assert not get_user_model().objects.exists()


def test_remove_and_if_enabled_cannot_be_combined():
    with pytest.raises(CommandError, match="not allowed with argument"):
        seed("--remove", "--if-enabled")


def test_remove_deletes_only_the_demo_data(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    seed()
    dave = get_user_model().objects.create_user("dave")
    Entry.objects.create(title="Dave's", slug="daves", body="Mine.", author=dave)
    assert "Removed the demo data: 30 entries, 3 users." in seed("--remove")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["dave"]
    assert list(Entry.objects.values_list("slug", flat=True)) == ["daves"]


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

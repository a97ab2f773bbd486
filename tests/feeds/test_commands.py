"""manage.py feed_url and render_entries."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from feeds.models import Entry, SecretAddress


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_feed_url_prints_an_address_that_reads_the_feed(alice, entries):
    address, _err = run("feed_url", "alice", "--feed", "members", "--name", "NetNewsWire",
                        "--site-url", "https://www.example.com")  # fmt: skip
    assert address.startswith("https://www.example.com/feeds/s/feed_")
    assert address.endswith("/members.rss")
    stored = SecretAddress.objects.get()
    assert (stored.user, stored.feed, stored.name) == (alice, "members", "NetNewsWire")
    response = Client().get(address.removeprefix("https://www.example.com"))
    assert response.status_code == 200
    assert b"Members Entry" in response.content


def test_feed_url_without_an_origin_prints_the_path_and_says_so(alice, settings):
    settings.FEEDS_SITE_URL = None
    path, err = run("feed_url", "alice", "--feed", "members", "--format", "atom")
    assert path.startswith("/feeds/s/feed_")
    assert path.endswith("/members.atom")
    assert "printing the path only" in err


def test_feed_url_prints_the_json_feed_address(alice, entries, settings):
    settings.FEEDS_SITE_URL = None
    path, _err = run("feed_url", "alice", "--feed", "members", "--format", "json")
    assert path.endswith("/members.json")
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"


def test_feed_url_revokes_by_name(alice, entries):
    address, _err = run("feed_url", "alice", "--feed", "members", "--name", "old phone")
    run("feed_url", "alice", "--feed", "members", "--name", "tablet")
    out, _err = run("feed_url", "alice", "--revoke", "old phone")
    assert out == "Revoked 1 secret address."
    assert list(SecretAddress.objects.values_list("name", flat=True)) == ["tablet"]
    assert Client().get(address).status_code == 404


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--feed", "members"], "No user 'nobody'."),
        (["alice"], "Say which feed: --feed members or --feed staff."),
        (["alice", "--feed", "staff"], "alice may not read the staff feed."),
        (["alice", "--revoke", "never made"], "alice has no secret address named 'never made'."),
    ],
)
def test_feed_url_refuses_with_one_line(alice, args, message):
    with pytest.raises(CommandError, match=f"^{message}$".replace(".", r"\.").replace("'", "'")):
        run("feed_url", *args)
    assert not SecretAddress.objects.exists()


def test_feed_url_refuses_an_inactive_user_and_when_turned_off(alice, settings):
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match="alice is not active"):
        run("feed_url", "alice", "--feed", "members")
    settings.FEEDS_SECRET_ADDRESSES = False
    with pytest.raises(CommandError, match="turned off"):
        run("feed_url", "alice", "--feed", "members")


def test_render_entries_renders_what_skipped_save_and_marks_it_updated(entries, bob):
    Entry.objects.bulk_create([Entry(title="Bulk", slug="bulk", body="*new*", author=bob)])
    Entry.objects.filter(slug="public-entry").update(body_html="stale")
    before = Entry.objects.get(slug="public-entry").updated_at
    out, _err = run("render_entries")
    assert out == "2 entries rendered anew."
    assert Entry.objects.get(slug="bulk").body_html == "<p><em>new</em></p>"
    refreshed = Entry.objects.get(slug="public-entry")
    assert "relative link" in refreshed.body_html
    assert refreshed.updated_at > before
    assert run("render_entries")[0] == "0 entries rendered anew."

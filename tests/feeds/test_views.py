"""The entries, entry pages, /feeds/, the OPML file and the <link rel="alternate"> tags."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from feeds.models import Entry
from tests.support.users import signed_in


def titles(html):
    return re.findall(r'<li class="entry">\s*<a href="/entries/[^"]+/">([^<]+)</a>', html)


def test_the_entry_list_shows_what_each_viewer_may_read(client, entries, alice, bob):
    assert titles(client.get("/entries/").content.decode()) == ["Public Entry"]
    assert titles(signed_in(alice).get("/entries/").content.decode()) == [
        "Public Entry",
        "Members Entry",
    ]
    staff = titles(signed_in(bob).get("/entries/").content.decode())
    assert set(staff) == {e.title for e in entries.values()}


def test_the_entry_list_goes_a_page_at_a_time(client, bob):
    for n in range(25):
        Entry.objects.create(
            title=f"Entry {n:02d}",
            slug=f"entry-{n:02d}",
            body="Text.",
            author=bob,
            published_at=timezone.now() - timedelta(hours=n),
        )
    first = client.get("/entries/").content.decode()
    assert titles(first) == [f"Entry {n:02d}" for n in range(20)]
    assert '<a href="?page=2" rel="next">Older</a>' in first
    assert "Page 1 of 2" in first
    second = client.get("/entries/?page=2").content.decode()
    assert titles(second) == [f"Entry {n:02d}" for n in range(20, 25)]
    assert '<a href="?page=1" rel="prev">Newer</a>' in second
    # A page number out of range or not a number shows the nearest page, never an error.
    assert titles(client.get("/entries/?page=99").content.decode()) == titles(second)
    assert titles(client.get("/entries/?page=x").content.decode()) == titles(first)


def test_entry_page_renders_safe_markdown(client, entries):
    entries["public"].body = "Hello **world** <script>alert(1)</script> [home](/)"
    entries["public"].save()
    html = client.get("/entries/public-entry/").content.decode()
    assert "<h1>Public Entry</h1>" in html
    assert "<strong>world</strong>" in html
    assert '<a href="/" rel="noopener noreferrer">home</a>' in html
    assert "<script>alert(1)</script>" not in html


def test_members_entries_ask_visitors_to_sign_in(client, entries, alice):
    response = client.get("/entries/members-entry/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/entries/members-entry/"
    assert signed_in(alice).get("/entries/members-entry/").status_code == 200


@pytest.mark.parametrize("slug", ["staff-entry", "draft-entry", "scheduled-entry", "no-such"])
def test_what_a_member_may_not_read_is_not_found(entries, alice, slug):
    response = signed_in(alice).get(f"/entries/{slug}/")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.content.decode()


def test_staff_read_drafts_marked_as_such(entries, bob):
    html = signed_in(bob).get("/entries/draft-entry/").content.decode()
    assert '<span class="badge draft">Draft</span>' in html


def alternate_links(html):
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', html)


@pytest.mark.django_db
def test_pages_link_exactly_the_feeds_the_viewer_may_read(client, bob, alice):
    assert [href for _t, _n, href in alternate_links(client.get("/").content.decode())] == [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/feeds/latest.json",
    ]
    member_links = alternate_links(signed_in(alice).get("/feeds/").content.decode())
    assert [href for _t, _n, href in member_links] == [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/feeds/latest.json",
        "/feeds/members.rss",
        "/feeds/members.atom",
        "/feeds/members.json",
    ]
    assert member_links[3] == (
        "application/rss+xml",
        "Members&#x27; entries (RSS)",
        "/feeds/members.rss",
    )
    assert member_links[5] == (
        "application/feed+json",
        "Members&#x27; entries (JSON Feed)",
        "/feeds/members.json",
    )
    staff_links = alternate_links(signed_in(bob).get("/").content.decode())
    assert [href for _t, _n, href in staff_links][-3:] == [
        "/feeds/staff.rss",
        "/feeds/staff.atom",
        "/feeds/staff.json",
    ]


def test_feeds_page_lists_copyable_addresses_and_the_guide(alice):
    html = signed_in(alice).get("/feeds/").content.decode()
    assert 'value="http://testserver/feeds/members.rss"' in html
    assert 'value="http://testserver/feeds/staff.rss"' not in html
    assert 'href="/account/app-passwords/"' in html
    assert "Readers that cannot send a username and password" in html
    assert "with an <code>@</code> in a username written <code>%40</code>" in " ".join(html.split())


def test_opml_lists_the_viewers_feeds(alice):
    response = signed_in(alice).get("/feeds/opml/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="feeds.opml"'
    outlines = ET.fromstring(response.content).findall("./body/outline")
    assert ET.fromstring(response.content).findtext("./head/title") == "Reference site"
    assert [(o.get("type"), o.get("xmlUrl")) for o in outlines] == [
        ("rss", "http://testserver/feeds/latest.rss"),
        ("rss", "http://testserver/feeds/members.rss"),
    ]


def test_the_menu_and_the_home_page_offer_the_entries_and_the_feeds(client, db):
    """From the app's own context processor, feeds.context_processors."""
    html = client.get("/").content.decode()
    assert '<li><a href="/entries/">Entries</a></li>' in html
    assert '<li><a href="/feeds/">Feeds</a></li>' in html
    assert '<li><a href="/feeds/">Feeds</a>: Follow them in a feed reader' in html


def test_the_entries_are_shown_in_the_sites_layout(alice):
    html = signed_in(alice).get("/entries/").content.decode()
    assert "<h1>Entries</h1>" in html
    assert "Signed in as <strong>alice</strong>" in html  # templates/base.html

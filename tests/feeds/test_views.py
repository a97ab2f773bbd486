"""Home, entry pages, /feeds/, the OPML file and the <link rel="alternate"> tags."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache.utils import make_template_fragment_key
from django.test import Client

from tests.feeds.conftest import PASSWORD


def signed_in(username):
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def titles(html):
    return re.findall(r'<li class="entry">\s*<a href="/entries/[^"]+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_home_renders_navigation_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<a href="/" aria-current="page">Home</a>' in html
    assert '<a href="/feeds/">Feeds</a>' in html
    assert '<a href="/accounts/login/?next=/">Sign in</a>' in html
    # Static files come through the manifest storage: hashed names, cacheable forever.
    assert re.search(r'<link rel="stylesheet" href="/static/site\.[0-9a-f]{12}\.css">', html)


def test_home_lists_what_each_viewer_may_read(client, entries, alice):
    assert titles(client.get("/").content.decode()) == ["Public Entry"]
    assert titles(signed_in("alice").get("/").content.decode()) == [
        "Public Entry",
        "Members Entry",
    ]
    staff = titles(signed_in("bob").get("/").content.decode())
    assert set(staff) == {e.title for e in entries.values()}


@pytest.mark.django_db
def test_home_keeps_its_cache_note_in_the_objects_cluster_only(
    client, memcached_objects, memcached_sessions
):
    writes_before = memcached_sessions.stats()["cmd_set"]
    first = client.get("/").content.decode()
    second = client.get("/").content.decode()
    note = re.search(r'<aside class="note" id="cache-note">.*?</aside>', first, re.S).group()
    assert note in second  # the same rendering, served from the cache
    key = make_template_fragment_key("home_cache_note")
    assert memcached_objects.holds(f"objects:1:{key}")
    assert memcached_sessions.stats()["cmd_set"] == writes_before


@pytest.mark.django_db
def test_home_answers_while_the_objects_cluster_is_down(client, stop_cluster):
    stop_cluster("default")
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="cache-note"' in response.content.decode()


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
    assert signed_in("alice").get("/entries/members-entry/").status_code == 200


@pytest.mark.parametrize("slug", ["staff-entry", "draft-entry", "scheduled-entry", "no-such"])
def test_what_a_member_may_not_read_is_not_found(entries, alice, slug):
    response = signed_in("alice").get(f"/entries/{slug}/")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.content.decode()


def test_staff_read_drafts_marked_as_such(entries, bob):
    html = signed_in("bob").get("/entries/draft-entry/").content.decode()
    assert '<span class="badge draft">Draft</span>' in html


def alternate_links(html):
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', html)


@pytest.mark.django_db
def test_pages_link_exactly_the_feeds_the_viewer_may_read(client, bob, alice):
    assert [href for _t, _n, href in alternate_links(client.get("/").content.decode())] == [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
    ]
    member_links = alternate_links(signed_in("alice").get("/feeds/").content.decode())
    assert [href for _t, _n, href in member_links] == [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/feeds/members.rss",
        "/feeds/members.atom",
    ]
    assert member_links[2] == (
        "application/rss+xml",
        "Members&#x27; entries (RSS)",
        "/feeds/members.rss",
    )
    staff_links = alternate_links(signed_in("bob").get("/").content.decode())
    assert [href for _t, _n, href in staff_links][-2:] == ["/feeds/staff.rss", "/feeds/staff.atom"]


def test_feeds_page_lists_copyable_addresses_and_the_guide(alice):
    html = signed_in("alice").get("/feeds/").content.decode()
    assert 'value="http://testserver/feeds/members.rss"' in html
    assert 'value="http://testserver/feeds/staff.rss"' not in html
    assert 'href="/account/app-passwords/"' in html
    assert "Readers that cannot send a username and password" in html


def test_opml_lists_the_viewers_feeds(alice):
    response = signed_in("alice").get("/feeds/opml/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="feeds.opml"'
    outlines = ET.fromstring(response.content).findall("./body/outline")
    assert [(o.get("type"), o.get("xmlUrl")) for o in outlines] == [
        ("rss", "http://testserver/feeds/latest.rss"),
        ("rss", "http://testserver/feeds/members.rss"),
    ]

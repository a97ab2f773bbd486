"""The six feeds as readers get them: parsed with feedparser, their XML checked."""

from datetime import timedelta

import feedparser
import pytest
from django.test import Client

from feeds.models import Entry
from tests.support.users import PASSWORD, basic

FEEDS = [
    f"/feeds/{kind}.{fmt}" for kind in ("latest", "members", "staff") for fmt in ("rss", "atom")
]


def read(path, user="bob", client=None, **extra):
    """Fetch a feed as a reader with Basic credentials would, and parse it."""
    response = (client or Client()).get(path, HTTP_AUTHORIZATION=basic(user, PASSWORD), **extra)
    assert response.status_code == 200, response.status_code
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid(entries, path):
    response, feed = read(path)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == ("rss20" if path.endswith(".rss") else "atom10")
    expected_type = "application/rss+xml" if path.endswith(".rss") else "application/atom+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert feed.feed.title.startswith("Reference site: ")


@pytest.mark.parametrize("path", FEEDS)
def test_self_link_is_the_address_the_reader_used(entries, path):
    _response, feed = read(path)
    assert {link.rel: link.href for link in feed.feed.links}["self"] == f"http://testserver{path}"


def test_self_link_behind_a_tls_proxy(entries, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["feeds.example.com"]
    _response, feed = read(
        "/feeds/latest.atom", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="feeds.example.com"
    )
    self_link = {link.rel: link.href for link in feed.feed.links}["self"]
    assert self_link == "https://feeds.example.com/feeds/latest.atom"
    assert feed.entries[0].link == "https://feeds.example.com/entries/public-entry/"


@pytest.mark.parametrize("path", ["/feeds/latest.rss", "/feeds/latest.atom"])
def test_items_carry_permalinks_dates_authors_and_absolute_urls(entries, path):
    _response, feed = read(path)
    [item] = feed.entries
    assert item.link == "http://testserver/entries/public-entry/"
    assert item.id == item.link
    assert item.published_parsed is not None
    assert item.author == "Bob Staff"
    assert 'href="http://testserver/status/"' in item.summary


def test_latest_holds_published_public_entries_only(entries):
    _response, feed = read("/feeds/latest.rss", user="nobody-needed")
    assert [item.title for item in feed.entries] == ["Public Entry"]


def test_members_holds_public_and_members_entries(entries, alice):
    _response, feed = read("/feeds/members.rss", user="alice")
    assert [item.title for item in feed.entries] == ["Public Entry", "[Members] Members Entry"]


def test_staff_holds_everything_with_drafts_and_staff_entries_marked(entries):
    _response, feed = read("/feeds/staff.atom")
    assert [item.title for item in feed.entries] == [
        "[Draft] Scheduled Entry",
        "[Draft] Draft Entry",
        "Public Entry",
        "[Members] Members Entry",
        "[Staff] Staff Entry",
    ]
    draft = feed.entries[1]
    assert {tag.term for tag in draft.tags} == {"public", "draft"}


def test_the_number_of_items_is_bounded(entries, bob, settings):
    settings.FEEDS_MAX_ITEMS = 2
    for n in range(5):
        Entry.objects.create(
            title=f"More {n}", slug=f"more-{n}", body="x", author=bob,
            published_at=entries["public"].published_at - timedelta(days=n + 1),
        )  # fmt: skip
    _response, feed = read("/feeds/latest.rss")
    assert len(feed.entries) == 2


def test_protected_feeds_challenge_with_their_realm(client, entries, alice):
    members = client.get("/feeds/members.rss")
    assert members.status_code == 401
    assert members["WWW-Authenticate"] == 'Basic realm="Members", charset="UTF-8"'
    staff = client.get("/feeds/staff.atom")
    assert staff["WWW-Authenticate"] == 'Basic realm="Staff", charset="UTF-8"'
    as_alice = client.get("/feeds/staff.atom", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert as_alice.status_code == 403


def test_a_signed_in_browser_reads_the_members_feed(entries, alice):
    browser = Client()
    browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = browser.get("/feeds/members.atom")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}

"""Real feed readers against the site under gunicorn: newsboat (Debian's package), which has
no username field, with the credentials in the address and with a secret address; feedparser
with HTTP Basic; and the ``reader`` library (lemon24), which reads RSS and JSON Feed and
honours Cache-Control and Retry-After, subscribed with an app password against the site's
default poll budget (docs/feeds.md, "Polite polling"). Each checks that the members feed's
items arrived."""

import base64
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import feedparser
import pytest
import requests
from reader import make_reader

from tests.support.sites import DEMO_PASSWORD

pytestmark = pytest.mark.slow

# A username with an "@", which the address must carry as %40.
USERNAME, PASSWORD = "erin@example.com", "erin-reads-the-members-feed"
MAKE_ERIN = f"""
from django.contrib.auth import get_user_model
from feeds.models import SecretAddress
from httpauth.models import AppPassword
erin = get_user_model().objects.create_user("{USERNAME}", password="{PASSWORD}")
print(AppPassword.issue(erin, "newsboat")[1])
"""
# What the members feed holds, newest first, from the database rather than from a feed.
MEMBERS_TITLES = """
import json
from feeds.catalog import MEMBERS
entries = MEMBERS.entries().newest_first()[:50]
print(json.dumps([("[Members] " if e.visibility == "members" else "") + e.title for e in entries]))
"""


@pytest.fixture(scope="module")
def erin(site):
    """Erin's app password, made once for this module's tests."""
    return site.manage("shell", "--no-imports", "-c", MAKE_ERIN).stdout.strip()


@pytest.fixture(scope="module")
def members_titles(site):
    return json.loads(site.manage("shell", "--no-imports", "-c", MEMBERS_TITLES).stdout)


def secret_address(site):
    return site.manage(
        "feed_url", USERNAME, "--feed", "members", "--site-url", site.url
    ).stdout.strip()


def newsboat(url, home):
    """Have newsboat fetch ``url`` once, as its ``reload`` command does; return the titles of
    the items it stored, newest first."""
    binary = shutil.which("newsboat")
    assert binary, "newsboat is not installed: apt-get install newsboat (make system-deps)"
    (home / "urls").write_text(url + "\n")
    (home / "config").write_text("")
    command = [binary, "-u", home / "urls", "-c", home / "cache.db", "-C", home / "config"]
    result = subprocess.run(
        [*command, "-x", "reload"],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(home / "cache.db") as db:
        rows = db.execute("SELECT title FROM rss_item ORDER BY pubDate DESC, id ASC").fetchall()
    return [title for (title,) in rows]


def test_newsboat_reads_the_members_feed_with_credentials_in_the_address(
    site, erin, members_titles, tmp_path
):
    origin = site.url.replace("http://", f"http://{quote(USERNAME, safe='')}:{erin}@")
    assert "%40" in origin
    assert newsboat(f"{origin}/feeds/members.rss", tmp_path) == members_titles
    assert any(title.startswith("[Members] ") for title in members_titles)


def test_newsboat_reads_the_members_feed_through_a_secret_address(
    site, erin, members_titles, tmp_path
):
    address = secret_address(site)
    assert address.startswith(f"{site.url}/feeds/s/feed_")
    assert newsboat(address, tmp_path) == members_titles


def test_newsboat_without_credentials_gets_nothing(site, tmp_path):
    result_titles = newsboat(f"{site.url}/feeds/members.rss", tmp_path / "")
    assert result_titles == []


def test_feedparser_reads_it_with_basic(site, erin, members_titles):
    token = base64.b64encode(f"{USERNAME}:{erin}".encode()).decode()
    feed = feedparser.parse(
        f"{site.url}/feeds/members.rss", request_headers={"Authorization": f"Basic {token}"}
    )
    assert (feed.status, feed.bozo) == (200, 0)
    assert [item.title for item in feed.entries] == members_titles


MAKE_TOKEN = """
from django.contrib.auth import get_user_model
from httpauth.models import AppPassword
print(AppPassword.issue(get_user_model().objects.get(username="alice"), "reader")[1])
"""
ADD_ENTRY = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from feeds.models import Entry
Entry.objects.create(title="Fresh news", slug="fresh-news-{fmt}", body="New.",
                     visibility="members", author=get_user_model().objects.get(username="alice"),
                     published_at=timezone.now())
"""
BURST = 12  # the default FEEDS_POLL_BUDGET's


@pytest.fixture(params=["rss", "json"])
def subscribed(request, site, tmp_path):
    """A reader that checks every minute unless told otherwise, subscribed to the members
    feed (RSS, then JSON Feed) with a new app password of alice's in the address."""
    token = site.manage("shell", "--no-imports", "-c", MAKE_TOKEN).stdout.strip()
    url = site.url.replace("http://", f"http://alice:{token}@") + f"/feeds/members.{request.param}"
    feeds = make_reader(str(tmp_path / "reader.sqlite"))
    feeds.set_tag((), feeds.make_reader_reserved_name("update"), {"interval": 1})
    feeds.add_feed(url)
    yield feeds, url, token, request.param
    feeds.close()


def updated(feeds):
    (result,) = list(feeds.update_feeds_iter(scheduled=False))
    return result


def test_the_reader_comes_back_when_told_and_gets_a_304_then_a_429s_retry_after(site, subscribed):
    feeds, url, token, fmt = subscribed
    titles = json.loads(site.manage("shell", "--no-imports", "-c", MEMBERS_TITLES).stdout)
    before = datetime.now(tz=UTC)
    first = updated(feeds)
    assert first.error is None
    assert [entry.title for entry in feeds.get_entries(sort="recent")] == titles
    # Its own schedule says a minute; the feed's Cache-Control, 15.
    assert feeds.get_feed(url).update_after >= before + timedelta(minutes=15)

    second = updated(feeds)  # sends the ETag it got
    assert second.error is None
    assert second.value is None  # reader's "not modified": the server answered 304

    # A reader gone wrong polls unconditionally: past the budget, 429.
    members = site.url + f"/feeds/members.{fmt}"
    polls = [requests.get(members, auth=("alice", token), timeout=10) for _ in range(BURST)]
    assert polls[-1].status_code == 429
    retry_after = int(polls[-1].headers["Retry-After"])
    assert 1 <= retry_after <= 900
    # The feed changes, so the reader's ETag no longer matches: it is refused too, and waits.
    site.manage("shell", "--no-imports", "-c", ADD_ENTRY.format(fmt=fmt))
    refused_at = datetime.now(tz=UTC)
    third = updated(feeds)
    assert third.error is not None
    assert "429" in str(third.error)
    update_after = feeds.get_feed(url).update_after
    # Retry-After seconds, rounded up to the reader's next minute.
    assert refused_at + timedelta(seconds=retry_after - 5) <= update_after
    assert update_after <= refused_at + timedelta(seconds=retry_after + 65)
    assert "Fresh news" not in [entry.title for entry in feeds.get_entries()]


def test_the_session_browser_has_no_budget(site):
    browser, response = site.sign_in("alice", DEMO_PASSWORD)
    assert response.status_code == 302
    members = site.url + "/feeds/members.rss"
    statuses = {browser.get(members, timeout=10).status_code for _ in range(BURST + 3)}
    assert statuses == {200}

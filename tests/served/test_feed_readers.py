"""Real feed readers against the site under gunicorn: newsboat (Debian's package), which has
no username field, with the credentials in the address and with a secret address; and
feedparser with HTTP Basic. Each checks that the members feed's items arrived."""

import base64
import json
import shutil
import sqlite3
import subprocess
from urllib.parse import quote

import feedparser
import pytest

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

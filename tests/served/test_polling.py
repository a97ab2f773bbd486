"""Polite polling with a real reader: the ``reader`` library (lemon24), which reads RSS and
JSON Feed and honours Cache-Control and Retry-After, subscribed to the members feed with an
app password, against the site under gunicorn with its default budget (docs/feeds.md,
"Polite polling")."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from reader import make_reader

from tests.support.sites import DEMO_PASSWORD

pytestmark = pytest.mark.slow

MAKE_TOKEN = """
from django.contrib.auth import get_user_model
from httpauth.models import AppPassword
print(AppPassword.issue(get_user_model().objects.get(username="alice"), "reader")[1])
"""
MEMBERS_TITLES = """
import json
from feeds.catalog import MEMBERS
entries = MEMBERS.entries().newest_first()[:50]
print(json.dumps([("[Members] " if e.visibility == "members" else "") + e.title for e in entries]))
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

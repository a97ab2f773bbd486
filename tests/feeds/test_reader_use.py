"""feeds.reader_use, and the pages that show it: which reader used each app password and
secret address, and how it polled in the last 24 hours, at no database write per poll."""

import re
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feeds import reader_use
from feeds.models import SecretAddress
from httpauth.models import AppPassword
from tests.support.interleavings import cache_steps, every_interleaving
from tests.support.users import basic, signed_in

NEWSBOAT = "Newsboat/2.35.0 (Linux x86_64)"
NETNEWSWIRE = "NetNewsWire (RSS Reader; https://netnewswire.com/)"


def cell(html, name):
    """The "last used" cell of the row named ``name``."""
    row = next(row for row in html.split("<tr") if f"<td>{name}</td>" in row).split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_app_password_page_names_the_reader_and_counts_its_polls(alice, entries, settings):
    settings.FEEDS_POLL_BUDGET = (2, 1)
    _app, token = AppPassword.issue(alice, "Laptop reader")
    _idle, _token = AppPassword.issue(alice, "Forgotten")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token), HTTP_USER_AGENT=NEWSBOAT)
    etag = reader.get("/feeds/members.rss")["ETag"]  # 200
    for _ in range(3):
        assert reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert reader.get("/feeds/members.atom").status_code == 200
    assert reader.get("/feeds/members.atom").status_code == 429  # past a budget of 2
    html = signed_in(alice).get("/account/app-passwords/").content.decode()
    assert cell(html, "Laptop reader").endswith(
        "in the last 5 minutes by Newsboat 6 polls in 24 h, 50 % not modified · 1 refused Revoke"
    )
    assert cell(html, "Forgotten").endswith("never no polls in 24 h Revoke")


def test_the_secret_address_page_does_the_same(alice, entries):
    _address, secret = SecretAddress.issue(alice, "members", "Phone")
    reader = Client(HTTP_USER_AGENT=NETNEWSWIRE)
    etag = reader.get(f"/feeds/s/{secret}/members.json")["ETag"]
    reader.get(f"/feeds/s/{secret}/members.json", HTTP_IF_NONE_MATCH=etag)
    html = signed_in(alice).get("/account/feed-addresses/").content.decode()
    assert cell(html, "Phone").endswith(
        "in the last 5 minutes by NetNewsWire 2 polls in 24 h, 50 % not modified · 0 refused Revoke"
    )


def test_polls_write_nothing_to_the_database_between_last_use_writes(alice, entries):
    _app, token = AppPassword.issue(alice, "Laptop reader")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token), HTTP_USER_AGENT=NEWSBOAT)
    with CaptureQueriesContext(connection) as first:
        etag = reader.get("/feeds/members.rss")["ETag"]
    assert [q["sql"] for q in first if q["sql"].startswith("UPDATE")] != []  # last used: now
    with CaptureQueriesContext(connection) as later:
        reader.get("/feeds/members.rss")
        reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag)
    writes = [q["sql"] for q in later if q["sql"].split()[0] in {"UPDATE", "INSERT", "DELETE"}]
    assert writes == []
    assert reader_use.use_of([AppPassword.objects.get().digest])[
        AppPassword.objects.get().digest
    ] == reader_use.Use(polls=3, not_modified=1, refused=0)


def test_the_last_24_hours_count_and_older_ones_do_not(entries):
    cache, hour = caches["default"], int(time.time() // 3600)
    cache.set(reader_use._key("d", hour - 23, reader_use.OTHERWISE), 5, None)  # counts
    cache.set(reader_use._key("d", hour - 23, reader_use.NOT_MODIFIED), 2, None)
    cache.set(reader_use._key("d", hour - 24, reader_use.OTHERWISE), 1000, None)  # a day ago
    reader_use.count("d", 429)
    assert reader_use.use_of(["d", "e"]) == {
        "d": reader_use.Use(polls=8, not_modified=2, refused=1),
        "e": reader_use.Use(),
    }
    assert str(reader_use.use_of(["d"])["d"]) == "8 polls in 24 h, 25 % not modified · 1 refused"
    assert str(reader_use.Use()) == "no polls in 24 h"
    assert str(reader_use.Use(polls=1)) == "1 poll in 24 h, 0 % not modified · 0 refused"


def test_counting_fails_open_and_the_page_still_shows(alice, entries, stop_cluster):
    _app, token = AppPassword.issue(alice, "Laptop reader")
    stop_cluster("default")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token), HTTP_USER_AGENT=NEWSBOAT)
    assert reader.get("/feeds/members.rss").status_code == 200
    html = signed_in(alice).get("/account/app-passwords/").content.decode()
    assert cell(html, "Laptop reader").endswith(
        "in the last 5 minutes by Newsboat no polls in 24 h Revoke"
    )


@pytest.mark.parametrize("statuses", [(200, 200), (304, 304), (429, 429)])
def test_two_first_polls_of_an_hour_at_once_are_both_counted_in_every_order(entries, statuses):
    """Both find no count for the hour and add it; the loser counts again. (Polls answered
    differently count under keys of their own: nothing to race.)"""

    def setup():
        caches["default"].clear()

    def check(state, results, order):
        use = reader_use.use_of(["digest"])["digest"]
        assert use.polls == 2, order
        assert (use.not_modified, use.refused) == (
            statuses.count(304),
            statuses.count(429),
        ), order

    first, second = statuses
    with cache_steps("default"):
        runs = every_interleaving(
            {
                "first": lambda state: lambda: reader_use.count("digest", first),
                "second": lambda state: lambda: reader_use.count("digest", second),
            },
            setup=setup,
            check=check,
            steps=lambda label: label.split(" ")[0] in {"incr", "add"},
        )
    assert runs >= 3

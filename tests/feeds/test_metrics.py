"""The feeds' metrics: Basic checks (ops.metrics counts httpauth's signal), and feed answers
by feed, auth and status (feeds.metrics), their series exported before the first count."""

import pytest
from django.test import Client

from feeds.models import Entry, SecretAddress, Visibility
from httpauth.models import AppPassword
from tests.support.prometheus import Counts, families, scrape
from tests.support.users import PASSWORD, basic


@pytest.fixture
def entry(bob):
    return Entry.objects.create(
        title="Members' news",
        slug="members-news",
        body="For members.",
        author=bob,
        visibility=Visibility.MEMBERS,
        published_at="2026-01-01T00:00:00Z",
    )


def test_basic_checks_are_counted_by_result(alice, entry):
    counts = Counts(
        *(("site_basic_auth_total", {"result": result})
          for result in ("refused", "verified", "cached", "locked_out"))
    )  # fmt: skip
    Client(HTTP_AUTHORIZATION=basic("alice", "wrong")).get("/feeds/members.rss")
    Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")
    Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")
    for _ in range(4):  # four more failures lock alice out (AXES_FAILURE_LIMIT = 5)
        Client(HTTP_AUTHORIZATION=basic("alice", "wrong")).get("/feeds/members.rss")
    locked = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")
    assert locked.status_code == 429
    assert counts.added() == [5, 1, 1, 1]


def test_feed_responses_are_counted_by_feed_auth_and_status(alice, entry):
    _password, token = AppPassword.issue(alice, "reader")
    _address, secret = SecretAddress.issue(alice, Visibility.MEMBERS, "phone")
    signed_in = Client()
    signed_in.force_login(alice)
    labels = [
        ("latest", "public", "200"),
        ("members", "session", "200"),
        ("members", "session", "401"),
        ("members", "basic", "200"),
        ("members", "app_password", "200"),
        ("members", "secret", "200"),
        ("members", "secret", "404"),
    ]
    counts = Counts(
        *(("site_feed_responses_total", {"feed": feed, "auth": auth, "status": status})
          for feed, auth, status in labels)
    )  # fmt: skip
    Client().get("/feeds/latest.rss")
    signed_in.get("/feeds/members.rss")
    Client().get("/feeds/members.rss")
    Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")
    Client(HTTP_AUTHORIZATION=basic("alice", token)).get("/feeds/members.atom")
    Client().get(f"/feeds/s/{secret}/members.rss")
    Client().get(f"/feeds/s/{secret[:-1]}x/members.rss")
    assert counts.added() == [1] * len(labels)


def test_each_feeds_series_is_exported_before_its_first_count(client):
    exposed = {
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in families(scrape(client)).values()
        for sample in family.samples
    }
    for feed, auth in (("latest", "public"), ("members", "basic"), ("staff", "secret")):
        labels = (("auth", auth), ("feed", feed), ("status", "200"))
        assert ("site_feed_responses_total", labels) in exposed
    assert ("site_responses_total", (("status", "500"), ("view", "entry-detail"))) in exposed

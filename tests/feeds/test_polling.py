"""feeds.polling: every feed answer says when to come back, and a reader that does not
listen meets its budget (429) before anything is queried."""

import re

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from feeds import polling
from feeds.checks import check_settings
from feeds.models import SecretAddress
from httpauth.models import AppPassword
from tests.support.interleavings import cache_steps, every_interleaving
from tests.support.users import PASSWORD, basic, signed_in

SMALL = (3, 2)  # 3 full answers per 1.5 h window


def max_age(response):
    match = re.search(r"max-age=(\d+)", response.get("Cache-Control", ""))
    return int(match.group(1)) if match else None


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def readers(alice, bob, entries):
    """Every way a feed is read: {name: (client, path of the members or staff feed)}."""
    _app, token = AppPassword.issue(alice, "NetNewsWire")
    _address, secret = SecretAddress.issue(alice, "members", "Miniflux")
    _staff_address, staff_secret = SecretAddress.issue(bob, "staff", "Feedbin")
    return {
        "public, anonymous": (Client(), "/feeds/latest.{fmt}", False),
        "members, session": (signed_in(alice), "/feeds/members.{fmt}", True),
        "members, Basic": (
            Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)),
            "/feeds/members.{fmt}",
            True,
        ),
        "members, app password": (
            Client(HTTP_AUTHORIZATION=basic("alice", token)),
            "/feeds/members.{fmt}",
            True,
        ),
        "members, secret address": (Client(), f"/feeds/s/{secret}/members.{{fmt}}", True),
        "staff, Basic": (
            Client(HTTP_AUTHORIZATION=basic("bob", PASSWORD)),
            "/feeds/staff.{fmt}",
            True,
        ),
        "staff, secret address": (Client(), f"/feeds/s/{staff_secret}/staff.{{fmt}}", True),
    }


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_every_200_and_304_says_when_to_come_back(readers, fmt):
    for name, (client, path, private) in readers.items():
        full = client.get(path.format(fmt=fmt))
        assert full.status_code == 200, name
        not_modified = client.get(path.format(fmt=fmt), HTTP_IF_NONE_MATCH=full["ETag"])
        assert not_modified.status_code == 304, name
        for response in (full, not_modified):
            assert max_age(response) == 900, (name, response.status_code)
            assert ("private" in directives(response)) is private, name
            assert "no-cache" not in directives(response), name  # readers then ignore max-age


def test_rss_says_it_in_minutes_and_the_setting_changes_both(client, entries, settings):
    assert b"<ttl>15</ttl>" in client.get("/feeds/latest.rss").content
    settings.FEEDS_POLL_INTERVAL = 3600
    response = client.get("/feeds/latest.rss")
    assert b"<ttl>60</ttl>" in response.content  # a rendering of its own: the key names it
    assert max_age(response) == 3600


def test_refusals_say_nothing_of_when_to_come_back(client, entries):
    response = client.get("/feeds/members.rss")
    assert response.status_code == 401
    assert max_age(response) == 0  # httpauth's never-cache headers, unchanged


@pytest.fixture
def small_budget(settings):
    settings.FEEDS_POLL_BUDGET = SMALL


def test_past_the_budget_an_unconditional_poll_is_429_before_any_query(
    alice, entries, small_budget, django_assert_num_queries
):
    _app, token = AppPassword.issue(alice, "newsboat")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token))
    polls = [reader.get("/feeds/members.rss") for _ in range(SMALL[0])]
    assert [poll.status_code for poll in polls] == [200] * SMALL[0]
    with django_assert_num_queries(0):
        refused = reader.get("/feeds/members.rss")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 900
    assert directives(refused) == {"private", f"max-age={refused['Retry-After']}"}
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        refused.content
        == f"Too many polls: come back in {refused['Retry-After']} seconds.\n".encode()
    )
    assert len(refused.content) < 200
    assert "ETag" not in refused


def test_past_the_budget_a_conditional_poll_still_gets_its_304(alice, entries, small_budget):
    _app, token = AppPassword.issue(alice, "newsboat")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token))
    etag = [reader.get("/feeds/members.rss") for _ in range(SMALL[0])][-1]["ETag"]
    assert reader.get("/feeds/members.rss").status_code == 429
    not_modified = reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert max_age(not_modified) == 900
    # A stale validator is a full answer, and pays for it: refused.
    stale = reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 429
    assert "ETag" not in stale
    assert "Last-Modified" not in stale


def test_each_credential_has_its_own_budget(alice, entries, small_budget):
    _app, first = AppPassword.issue(alice, "newsboat")
    _app, second = AppPassword.issue(alice, "NetNewsWire")
    _address, secret = SecretAddress.issue(alice, "members", "Miniflux")
    busy = Client(HTTP_AUTHORIZATION=basic("alice", first))
    for _ in range(SMALL[0]):
        busy.get("/feeds/members.rss")
    assert busy.get("/feeds/members.rss").status_code == 429
    assert (
        Client(HTTP_AUTHORIZATION=basic("alice", second)).get("/feeds/members.rss").status_code
        == 200
    )
    assert (
        Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss").status_code
        == 200
    )
    assert Client().get(f"/feeds/s/{secret}/members.rss").status_code == 200
    assert Client().get("/feeds/latest.rss").status_code == 200


def test_a_guessers_wrong_passwords_spend_none_of_the_readers_budget(alice, entries, small_budget):
    for _ in range(SMALL[0] + 1):
        Client(HTTP_AUTHORIZATION=basic("alice", "wrong")).get("/feeds/members.rss")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert [reader.get("/feeds/members.rss").status_code for _ in range(SMALL[0])] == [200] * 3


def test_the_public_feed_counts_by_client_and_a_secret_address_by_itself(entries, small_budget):
    here, there = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [here.get("/feeds/latest.atom").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert there.get("/feeds/latest.atom").status_code == 200


def test_browsers_with_a_session_have_no_budget(alice, entries, small_budget):
    browser = signed_in(alice)
    assert {browser.get("/feeds/members.rss").status_code for _ in range(10)} == {200}
    assert {browser.get("/feeds/latest.rss").status_code for _ in range(10)} == {200}


def test_retry_after_is_at_most_the_poll_interval(entries, settings):
    settings.FEEDS_POLL_BUDGET = (1, 1)  # a window of an hour
    reader = Client()
    reader.get("/feeds/latest.rss")
    refused = reader.get("/feeds/latest.rss")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 900


def test_windows_shorter_than_a_second_each_count_apart(entries, settings):
    settings.FEEDS_POLL_BUDGET = (1, 7200)  # one full answer per half second
    poller = polling.Poller("public", "fast")
    start = 1_000_000_000.0  # the start of a window
    assert polling.charge(poller, now=start) is None
    assert polling.charge(poller, now=start + 0.1) == 1  # the same window: refused
    assert polling.charge(poller, now=start + 0.5) is None  # the next one, in the same second


def test_without_a_budget_nothing_is_counted(entries, settings, memcached_objects):
    def increments():
        stats = memcached_objects.stats()
        return stats["incr_misses"] + stats["incr_hits"]

    settings.FEEDS_POLL_BUDGET = None
    reader, before = Client(), increments()
    assert {reader.get("/feeds/latest.rss").status_code for _ in range(20)} == {200}
    assert increments() == before
    settings.FEEDS_POLL_BUDGET = SMALL  # the control: with one, each full answer is counted
    reader.get("/feeds/latest.rss")
    assert increments() == before + 1


def test_the_budget_fails_open_when_the_objects_cache_is_down(entries, small_budget, stop_cluster):
    stop_cluster("default")
    reader = Client()
    assert {reader.get("/feeds/latest.rss").status_code for _ in range(SMALL[0] + 3)} == {200}


def refused_polls(credential):
    return (
        REGISTRY.get_sample_value("site_feed_polls_refused_total", {"credential": credential}) or 0
    )


def test_refusals_are_counted_by_credential(alice, entries, small_budget):
    before = {kind: refused_polls(kind) for kind in polling.CREDENTIALS}
    _app, token = AppPassword.issue(alice, "newsboat")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token))
    for _ in range(SMALL[0] + 2):
        reader.get("/feeds/members.rss")
    after = {kind: refused_polls(kind) for kind in polling.CREDENTIALS}
    assert after == {**before, "app_password": before["app_password"] + 2}


@pytest.mark.parametrize("burst", [1, 2])
def test_two_first_polls_at_once_are_both_counted_in_every_order(entries, settings, burst):
    """The one race: both find no count in the window and add it; the loser counts again."""
    settings.FEEDS_POLL_BUDGET = (burst, 1)
    poller = polling.Poller("public", "concurrent")

    def setup():
        from django.core.cache import caches

        caches["default"].clear()
        return poller

    def check(state, results, order):
        allowed = [name for name, wait in results.items() if wait is None]
        assert len(allowed) == burst, order  # never both let through past a burst of one
        for wait in results.values():
            assert wait is None or 1 <= wait <= 900, order

    with cache_steps("default"):
        runs = every_interleaving(
            {
                "first": lambda p: lambda: polling.charge(p),
                "second": lambda p: lambda: polling.charge(p),
            },
            setup=setup,
            check=check,
            steps=lambda label: label.split(" ")[0] in {"incr", "add"},
        )
    assert runs >= 3  # incr/incr/add/add, crossed: more than one order was taken


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("FEEDS_POLL_INTERVAL", 30, "E005"),
        ("FEEDS_POLL_INTERVAL", "900", "E005"),
        ("FEEDS_POLL_BUDGET", (12,), "E006"),
        ("FEEDS_POLL_BUDGET", (0, 8), "E006"),
        ("FEEDS_POLL_BUDGET", "12,8", "E006"),
    ],
)
def test_bad_settings_are_configuration_errors(settings, name, value, problem):
    setattr(settings, name, value)
    assert [message.id for message in check_settings(None)] == [f"feeds.{problem}"]


def test_no_budget_is_a_valid_setting(settings):
    settings.FEEDS_POLL_BUDGET = None
    assert check_settings(None) == []

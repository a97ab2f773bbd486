"""Cheap polling: validators from one query, 304 before the feed is built, one rendering per
feed and format cached in the objects cluster, private answers private."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from feeds.models import Entry, SecretAddress, Visibility
from feeds.signals import feed_served
from feeds.syndication import PLACEHOLDER_HOST
from httpauth.models import AppPassword
from tests.support.caches import use_daemon
from tests.support.faults import FaultyProxy
from tests.support.interleavings import cache_steps, every_interleaving
from tests.support.signals import caught
from tests.support.users import PASSWORD, basic, signed_in


def test_feeds_carry_an_etag_and_last_modified(client, entries):
    response = client.get("/feeds/latest.rss")
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")


def test_a_matching_etag_is_a_304_from_one_query(client, entries, django_assert_num_queries):
    etag = client.get("/feeds/latest.rss")["ETag"]
    with django_assert_num_queries(1):  # the aggregate; the feed is never built
        response = client.get("/feeds/latest.rss", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_is_a_304_too(client, entries):
    last_modified = client.get("/feeds/latest.atom")["Last-Modified"]
    response = client.get("/feeds/latest.atom", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_each_format_has_its_own_etag(client, entries):
    assert client.get("/feeds/latest.rss")["ETag"] != client.get("/feeds/latest.atom")["ETag"]


def test_a_changed_entry_changes_the_etag_and_the_feed(client, entries):
    first = client.get("/feeds/latest.rss")
    entries["public"].title = "Retitled"
    entries["public"].save()
    second = client.get("/feeds/latest.rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert b"Retitled" in second.content


def test_a_deleted_entry_changes_the_etag(client, entries, bob):
    Entry.objects.create(title="Extra", slug="extra", body="x", author=bob,
                         published_at=entries["public"].published_at)  # fmt: skip
    first = client.get("/feeds/latest.rss")
    Entry.objects.get(slug="extra").delete()  # the newest change is unchanged: the count is not
    second = client.get("/feeds/latest.rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"Extra" not in second.content


def test_public_renders_are_served_from_the_objects_cache(
    client, entries, memcached_objects, django_assert_num_queries
):
    stores = memcached_objects.stats()["cmd_set"]
    first = client.get("/feeds/latest.rss")
    # The rendering, and the client's first count in its poll budget (an add: feeds.polling).
    assert memcached_objects.stats()["cmd_set"] == stores + 2
    with django_assert_num_queries(1):  # the aggregate for the key, then the cache
        second = client.get("/feeds/latest.rss")
    assert memcached_objects.stats()["cmd_set"] == stores + 2  # the count goes up by incr
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


# Any port, any case, a trailing dot: each a Host the site accepts.
HOSTS = ["a.example.com", "A.EXAMPLE.COM", "a.example.com.", "a.example.com:8443", "b.example.com"]


def test_every_host_is_served_from_one_rendering_with_its_own_links(
    client, entries, settings, memcached_objects
):
    settings.ALLOWED_HOSTS = ["a.example.com", "b.example.com"]
    stores = memcached_objects.stats()["cmd_set"]
    feeds = {host: client.get("/feeds/latest.rss", HTTP_HOST=host) for host in HOSTS}
    # One rendering, not five; and the client's first count in its poll budget.
    assert memcached_objects.stats()["cmd_set"] == stores + 2
    for host, response in feeds.items():
        assert response.status_code == 200
        assert f"http://{host}/entries/public-entry/".encode() in response.content
        assert PLACEHOLDER_HOST.encode() not in response.content
    assert len({response["ETag"] for response in feeds.values()}) == len(HOSTS)


def test_the_site_url_sets_the_feeds_links_whatever_the_host(client, entries, settings):
    settings.ALLOWED_HOSTS = ["a.example.com", "b.example.com"]
    settings.FEEDS_SITE_URL = "https://www.example.com"
    for host in HOSTS:
        response = client.get("/feeds/latest.rss", HTTP_HOST=host)
        assert b"https://www.example.com/entries/public-entry/" in response.content
        assert b'<atom:link href="https://www.example.com/feeds/latest.rss" rel="self"' in (
            response.content
        )
        assert host.encode() not in response.content.lower()
    page = client.get("/feeds/", HTTP_HOST="b.example.com").content.decode()
    assert 'value="https://www.example.com/feeds/latest.rss"' in page
    opml = client.get("/feeds/opml/", HTTP_HOST="b.example.com").content.decode()
    assert 'xmlUrl="https://www.example.com/feeds/latest.rss"' in opml


def test_an_objects_cache_outage_still_serves_feeds(client, entries, stop_cluster):
    stop_cluster("default")
    response = client.get("/feeds/latest.rss")
    assert response.status_code == 200
    assert b"Public Entry" in response.content


def test_private_feeds_are_private_and_rendered_once_for_every_reader(
    entries, alice, memcached_objects, client
):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    stores = memcached_objects.stats()["cmd_set"]
    response = reader.get("/feeds/members.rss")
    # Four stores: the first count of the credential's poll budget (feeds.polling), the copy of
    # the client's failed checks (none: httpauth's throttle), the verified credentials, and the
    # one rendering of the feed.
    assert memcached_objects.stats()["cmd_set"] == stores + 4
    assert "private" in response["Cache-Control"]
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    not_modified = reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert "private" in not_modified["Cache-Control"]
    assert "Authorization" in not_modified["Vary"]
    # Another member, signed in: the same rendering, not one of theirs.
    client.force_login(get_user_model().objects.create_user("carol", password=PASSWORD))
    again = client.get("/feeds/members.rss")
    assert memcached_objects.stats()["cmd_set"] == stores + 4  # a browser has no budget
    assert again.content == response.content
    assert b"Members Entry" in again.content


def test_a_private_feed_is_served_from_the_cache_after_its_check(
    entries, bob, client, django_assert_num_queries
):
    client.force_login(bob)
    first = client.get("/feeds/staff.atom")
    # The session's user, their permissions (two), the aggregate: the feed is not built.
    with django_assert_num_queries(4):
        second = client.get("/feeds/staff.atom")
    assert second.content == first.content
    assert b"Staff Entry" in second.content


def test_a_scheduled_entry_coming_due_is_served_at_once(entries, bob, client, monkeypatch):
    client.force_login(bob)
    before = client.get("/feeds/staff.rss")
    assert b"[Draft] Scheduled Entry" in before.content
    # Two days later its time has come: no row changed, but the feed must.
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = client.get("/feeds/staff.rss", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"[Draft] Scheduled Entry" not in after.content
    assert b"Scheduled Entry" in after.content


def test_authentication_comes_before_the_304(client, entries, alice):
    etag = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")["ETag"]
    response = client.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 401  # a validator proves nothing about who asks


def test_a_warm_basic_304_costs_three_queries(entries, alice, django_assert_num_queries):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    etag = reader.get("/feeds/members.rss")["ETag"]
    # The lockout (asked before the credential cache), the user for the credential
    # cache, the aggregate: no password hash, no feed built.
    with django_assert_num_queries(3):
        assert reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag).status_code == 304


def served(sent):
    return [(signal["feed"], signal["auth"], signal["status"]) for signal in sent]


def test_each_answer_of_a_feed_is_signalled_with_how_the_reader_came(entries, alice, bob):
    _password, token = AppPassword.issue(alice, "reader")
    _address, secret = SecretAddress.issue(alice, Visibility.MEMBERS, "phone")
    signed_in = Client()
    signed_in.force_login(bob)
    with caught(feed_served) as sent:
        Client().get("/feeds/latest.rss")
        Client().get("/feeds/members.rss")
        Client(HTTP_AUTHORIZATION=basic("alice", "wrong")).get("/feeds/members.atom")
        Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/members.rss")
        Client(HTTP_AUTHORIZATION=basic("alice", token)).get("/feeds/members.rss")
        Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD)).get("/feeds/staff.rss")
        signed_in.get("/feeds/staff.rss")
        Client().get(f"/feeds/s/{secret}/members.atom")
        Client().get(f"/feeds/s/{secret}/staff.atom")  # another feed's secret: 404
    assert served(sent) == [
        ("latest", "public", 200),
        ("members", "session", 401),
        ("members", "basic", 401),
        ("members", "basic", 200),
        ("members", "app_password", 200),
        ("staff", "basic", 403),
        ("staff", "session", 200),
        ("members", "secret", 200),
        ("staff", "secret", 404),
    ]


def test_a_304_is_signalled_with_its_status(entries, alice):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    etag = reader.get("/feeds/members.rss")["ETag"]
    with caught(feed_served) as sent:
        assert reader.get("/feeds/members.rss", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert served(sent) == [("members", "basic", 304)]


# Memcached round trips of a poll, counted by a proxy in front of the objects daemon that
# notes each command a client sends (tests/support/faults.py).


@pytest.fixture
def objects_proxy(settings, memcached_objects):
    with FaultyProxy(memcached_objects) as proxy:
        use_daemon(settings, "default", proxy)
        yield proxy


#: What each key of the objects cache a poll touches starts with.
KEY_KINDS = (
    "httpauth.failures",  # the address throttle's copy (httpauth.throttle)
    "httpauth.verified",  # the credential cache
    "feeds.rendered",
    "feeds.budget.basic",  # the poll budget (feeds.polling), by credential
    "feeds.budget.app_password",
    "feeds.use",  # an app password's recent polls (feeds.reader_use)
)


def commands_of(proxy, client, **headers):
    """The commands one poll of the members feed sends to the objects cache, each key named
    by its kind; and the response."""
    proxy.commands.clear()
    response = client.get("/feeds/members.rss", **headers)

    def kind(key):
        key = key.split(":", 2)[-1]  # Django's KEY_PREFIX and version
        return next((kind for kind in KEY_KINDS if key.startswith(kind + ".")), key)

    commands = []
    for operation, *words in (command.split() for command in proxy.commands):
        keys = words if operation in {"get", "gets"} else words[:1]  # "incr <key> 1"
        commands.append(" ".join([operation, *map(kind, keys)]))
    return commands, response


def test_a_warm_basic_poll_reads_credential_throttle_and_rendering_in_one_round_trip(
    alice, entries, objects_proxy
):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    commands_of(objects_proxy, reader)  # verified once (the slow hash), rendered once
    commands, response = commands_of(objects_proxy, reader)
    assert commands == [
        "incr feeds.budget.basic",  # the poll budget's count (feeds.polling)
        "get httpauth.failures httpauth.verified feeds.rendered",
    ]
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert b"http://testserver/entries/members-entry/" in response.content


def test_a_session_poll_and_an_app_password_poll_read_the_rendering_alone(
    alice, entries, objects_proxy
):
    _app_password, token = AppPassword.issue(alice, "Newsboat")
    app = Client(HTTP_AUTHORIZATION=basic("alice", token))
    commands_of(objects_proxy, app)
    # An app password opens before the throttle and the credential cache are asked.
    assert commands_of(objects_proxy, app)[0] == [
        "incr feeds.budget.app_password",
        "get feeds.rendered",
        "incr feeds.use",
    ]
    browser = signed_in(alice)
    assert commands_of(objects_proxy, browser)[0] == ["get feeds.rendered"]


def test_a_conditional_basic_poll_reads_no_rendering_ahead(alice, entries, objects_proxy):
    reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    _, first = commands_of(objects_proxy, reader)
    commands, response = commands_of(objects_proxy, reader, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert commands == ["get httpauth.failures httpauth.verified"]


@pytest.mark.django_db(transaction=True)  # each worker has its own connection
@pytest.mark.parametrize("revocation", ["deactivation", "password change"])
def test_a_revocation_during_a_basic_poll_lets_at_most_that_poll_through(
    alice, entries, revocation
):
    """The poll reads the user's row, then its keys in one round trip; the revocation lands
    at each point of it. Before the row is read, the poll is refused; after, that one poll
    still answers (it was let in before the revocation), and the next one is refused. No
    order leaves a remembered credential or a read-ahead answer that outlives it."""
    users = get_user_model()._default_manager
    table = get_user_model()._meta.db_table

    def setup():
        user = users.get(pk=alice.pk)
        user.is_active = True
        user.set_password(PASSWORD)
        user.save()
        reader = Client(HTTP_AUTHORIZATION=basic("alice", PASSWORD))
        assert reader.get("/feeds/members.rss").status_code == 200  # verified, remembered
        return reader

    def revoke(_state):
        if revocation == "deactivation":
            return lambda: users.filter(pk=alice.pk).update(is_active=False)
        changed = users.get(pk=alice.pk)
        changed.set_password("a brand new password")
        return lambda: users.filter(pk=alice.pk).update(password=changed.password)

    def check(reader, results, order):
        steps = order.split(" → ")
        read = steps.index(f"poll: SELECT {table}")
        revoked = steps.index(f"revoke: UPDATE {table}")
        assert results["poll"] == (401 if revoked < read else 200), order
        assert reader.get("/feeds/members.rss").status_code == 401, order

    with cache_steps("default", ("get_many",)):
        runs = every_interleaving(
            {
                "poll": lambda reader: lambda: reader.get("/feeds/members.rss").status_code,
                "revoke": revoke,
            },
            setup=setup,
            check=check,
            steps=lambda label: label.split(" ", 1)[1] == table or label.startswith("get_many"),
        )
    # The revocation before the row is read, or after. Where it falls against the round trip
    # changes nothing the poll can see (another store): the harness takes that in one order.
    assert runs == 2

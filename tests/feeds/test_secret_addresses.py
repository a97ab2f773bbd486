"""Secret feed addresses: made on the account page, shown once, stored as a digest, opening
one private feed while their owner may read it, and nothing else.

Covers feeds.models.SecretAddress, feeds.secret_addresses (the pages) and the serving view
(feeds.feed_views.secret_feed_view) together, with httpauth.reader_access, whose receiver
revokes them: they are one feature.
"""

import hashlib
import re

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from feeds.models import SecretAddress
from httpauth.reauthentication import SESSION_KEY
from tests.support.users import PASSWORD, basic, make_user, signed_in

NEW_PASSWORD = "a brand new passphrase for alice"
ADDRESS = re.compile(
    r'<code class="token" id="secret-(rss|atom|json)">https?://[^/]+(/feeds/s/(feed_[A-Za-z0-9_-]{43})/\w+\.\w+)</code>'
)


def create(browser, feed="members", name="NetNewsWire"):
    response = browser.post("/account/feed-addresses/", {"feed": feed, "name": name})
    assert response.status_code == 200
    found = ADDRESS.findall(response.content.decode())
    assert [fmt for fmt, _path, _secret in found] == ["rss", "atom", "json"], response.content
    [secret] = {secret for _fmt, _path, secret in found}
    return response, {fmt: path for fmt, path, _secret in found}, secret


@pytest.fixture
def alice_reads(alice, entries):
    """alice's browser, and the paths of a new secret address of the members feed."""
    browser = signed_in(alice)
    _response, paths, _secret = create(browser)
    return browser, paths


def test_the_address_is_shown_once_and_stored_as_a_digest(alice, entries):
    browser = signed_in(alice)
    response, paths, secret = create(browser)
    assert "no-store" in response["Cache-Control"]
    assert paths == {
        "rss": f"/feeds/s/{secret}/members.rss",
        "atom": f"/feeds/s/{secret}/members.atom",
        "json": f"/feeds/s/{secret}/members.json",
    }
    stored = SecretAddress.objects.get()
    assert (stored.user, stored.feed, stored.name) == (alice, "members", "NetNewsWire")
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret[len("feed_") :].startswith(stored.selector)
    assert len(stored.selector) == 12  # the rest of the secret is stored nowhere
    page = browser.get("/account/feed-addresses/").content.decode()
    assert "NetNewsWire" in page
    assert "Members&#x27; entries" in page or "Members' entries" in page
    assert secret not in page
    assert "never" in page  # not used yet


def test_a_reader_with_only_the_address_reads_the_members_feed(alice_reads):
    _browser, paths = alice_reads
    response = Client().get(paths["rss"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    titles = [item.title for item in feedparser.parse(response.content).entries]
    assert titles == ["Public Entry", "[Members] Members Entry"]
    assert SecretAddress.objects.get().last_used_at is not None
    atom = Client().get(paths["atom"])
    assert atom.status_code == 200
    assert atom["Content-Type"].startswith("application/atom+xml")


def test_its_answers_are_private_unreferred_unindexed_with_validators(alice_reads):
    _browser, paths = alice_reads
    reader = Client()
    response = reader.get(paths["rss"])
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    not_modified = reader.get(paths["rss"], HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert "private" in not_modified["Cache-Control"]
    assert not_modified["Referrer-Policy"] == "no-referrer"


def self_link(content):
    """The feed's own address (``rel="self"``), RSS or Atom, as a reader reads it."""
    parsed = feedparser.parse(content)
    return next(link.href for link in parsed.feed.links if link.rel == "self")


def test_it_is_served_from_the_members_rendering(alice_reads, memcached_objects):
    _browser, paths = alice_reads
    stores = memcached_objects.stats()["cmd_set"]
    first = Client().get(paths["rss"])
    member = Client()
    member.force_login(get_user_model().objects.get(username="alice"))
    second = member.get("/feeds/members.rss")
    # One rendering for both; the address's first count in its poll budget, and in its use
    # (feeds.reader_use): a browser has neither.
    assert memcached_objects.stats()["cmd_set"] == stores + 3
    # Each with its own address as its own: the rendering holds neither.
    assert self_link(first.content) == f"http://testserver{paths['rss']}"
    assert self_link(second.content) == "http://testserver/feeds/members.rss"
    assert first.content.replace(paths["rss"].encode(), b"/feeds/members.rss") == second.content
    assert first["ETag"] != second["ETag"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("feed", ["members", "staff"])
def test_a_secret_address_read_first_reaches_no_other_readers_copy(bob, entries, feed, fmt):
    """SECURITY.md, third review, #2: the rendering is cached once per feed and
    format, and held the first reader's address as its self link."""
    carol = make_user("carol", is_staff=True)
    carol.user_permissions.add(Permission.objects.get(codename="view_entry"))
    _response, paths, secret = create(signed_in(bob), feed=feed)
    assert Client().get(paths[fmt]).status_code == 200  # bob's reader fills the cache
    by_basic = Client().get(f"/feeds/{feed}.{fmt}", HTTP_AUTHORIZATION=basic("carol", PASSWORD))
    by_session = signed_in(carol).get(f"/feeds/{feed}.{fmt}")
    for copy in (by_basic, by_session):
        assert copy.status_code == 200
        assert b"feed_" not in copy.content
        assert secret.encode() not in copy.content
        assert self_link(copy.content) == f"http://testserver/feeds/{feed}.{fmt}"
    # And the other way round: carol's own address stays hers.
    _response, carols, _carol_secret = create(signed_in(carol), feed=feed)
    theirs = Client().get(carols[fmt])
    assert secret.encode() not in theirs.content
    assert self_link(theirs.content) == f"http://testserver{carols[fmt]}"


NOT_FOUND = [
    "/feeds/s/feed_{wrong}/members.rss",  # a wrong secret
    "/feeds/s/{secret}/staff.rss",  # another feed
    "/feeds/s/{secret}/latest.rss",  # the public feed has no secret addresses
    "/feeds/s/{secret}/",  # no feed at all
    "/feeds/s/{secret}/members.xml",  # no such format
    "/feeds/s/{short}/members.rss",  # its selector alone
    "/feeds/s/{bare}/members.rss",  # without its prefix
]


@pytest.mark.parametrize("template", NOT_FOUND)
def test_anything_but_its_own_feed_is_the_sites_404(alice_reads, template):
    _browser, paths = alice_reads
    secret = paths["rss"].split("/")[3]
    path = template.format(
        secret=secret, wrong="x" * 43, short=secret[:17], bare=secret[len("feed_") :]
    )
    never_existed = Client().get("/no-such-address/")
    response = Client().get(path)
    assert response.status_code == 404
    # The same page, but for the sign-in link's ?next=, which names the path asked for.
    assert response.content.replace(path.encode(), b"/no-such-address/") == never_existed.content


def test_it_opens_nothing_but_the_feed(alice_reads):
    _browser, paths = alice_reads
    secret = paths["rss"].split("/")[3]
    # Not a password: Basic refuses it, for the feed and for pages.
    assert (
        Client(HTTP_AUTHORIZATION=basic("alice", secret)).get("/feeds/members.rss").status_code
        == 401
    )
    assert (
        Client().post("/accounts/login/", {"username": "alice", "password": secret}).status_code
        == 200
    )  # the form again, not a sign-in
    # Not a query parameter either.
    assert Client().get(f"/feeds/members.rss?secret={secret}").status_code == 401


def test_revoking_stops_it_at_once(alice_reads):
    browser, paths = alice_reads
    assert Client().get(paths["rss"]).status_code == 200
    address = SecretAddress.objects.get()
    response = browser.post(f"/account/feed-addresses/{address.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert Client().get(paths["rss"]).status_code == 404


def test_only_its_owner_revokes_it(alice_reads, bob):
    address = SecretAddress.objects.get()
    response = signed_in(bob).post(f"/account/feed-addresses/{address.pk}/revoke/")
    assert response.status_code == 404
    assert SecretAddress.objects.filter(pk=address.pk).exists()


def test_deactivating_its_owner_stops_it(alice_reads, alice):
    _browser, paths = alice_reads
    assert Client().get(paths["rss"]).status_code == 200  # the control: it read before
    alice.is_active = False
    alice.save()
    assert Client().get(paths["rss"]).status_code == 404


def test_taking_away_the_permission_stops_a_staff_address(bob, entries):
    _response, paths, _secret = create(signed_in(bob), feed="staff")
    assert b"Staff Entry" in Client().get(paths["rss"]).content
    bob.user_permissions.remove(Permission.objects.get(codename="view_entry"))
    assert Client().get(paths["rss"]).status_code == 404


def test_a_member_cannot_make_one_for_the_staff_feed(alice, entries):
    browser = signed_in(alice)
    form = browser.get("/account/feed-addresses/").content.decode()
    assert 'value="members"' in form
    assert 'value="staff"' not in form
    response = browser.post("/account/feed-addresses/", {"feed": "staff", "name": "sneaky"})
    assert "Select a valid choice" in response.content.decode()
    assert not SecretAddress.objects.exists()


def test_a_password_reset_stops_it(alice_reads, alice):
    _browser, paths = alice_reads
    assert Client().get(paths["rss"]).status_code == 200  # the control: it read before
    alice.set_password("set through the reset link")  # what the reset form and changepassword do
    alice.save()
    assert Client().get(paths["rss"]).status_code == 404


def test_a_password_set_by_an_admin_stops_it_and_says_so(alice_reads, alice, admin_client):
    _browser, paths = alice_reads
    response = admin_client.post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        follow=True,
    )
    assert "Revoked with the old password: 1 secret feed address." in response.content.decode()
    assert Client().get(paths["rss"]).status_code == 404


@pytest.mark.parametrize(("revoke", "status"), [("on", 404), (None, 200)])
def test_the_owners_own_change_stops_it_unless_kept(alice_reads, revoke, status):
    browser, paths = alice_reads
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    if revoke:
        data["revoke_reader_access"] = revoke
    response = browser.post("/accounts/password_change/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert ("1 secret feed address" in response.content.decode()) is bool(revoke)
    assert Client().get(paths["rss"]).status_code == status


def test_making_one_asks_for_the_password_after_the_window(alice, entries, settings):
    settings.HTTPAUTH_REAUTHENTICATION_WINDOW = 0
    browser = signed_in(alice)
    refused = browser.post("/account/feed-addresses/", {"feed": "members", "name": "r"})
    assert "This field is required." in refused.content.decode()
    wrong = browser.post(
        "/account/feed-addresses/", {"feed": "members", "name": "r", "password": "guess"}
    )
    assert "That is not your password." in wrong.content.decode()
    assert not SecretAddress.objects.exists()
    browser.post("/account/feed-addresses/", {"feed": "members", "name": "r", "password": PASSWORD})
    assert SecretAddress.objects.count() == 1
    assert SESSION_KEY in browser.session


def test_turned_off_site_wide_every_address_and_page_is_a_404(alice_reads, settings):
    browser, paths = alice_reads
    settings.FEEDS_SECRET_ADDRESSES = False
    assert Client().get(paths["rss"]).status_code == 404
    assert browser.get("/account/feed-addresses/").status_code == 404
    assert "secret address" not in browser.get("/feeds/").content.decode()
    assert "Secret feed addresses" not in browser.get("/account/").content.decode()
    settings.FEEDS_SECRET_ADDRESSES = True
    assert Client().get(paths["rss"]).status_code == 200


def test_with_sign_in_required_everywhere_the_address_still_reads(alice_reads, settings):
    _browser, paths = alice_reads
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    assert Client().get("/feeds/").status_code == 302  # pages ask for sign-in
    assert Client().get(paths["rss"]).status_code == 200


def test_the_pages_need_sign_in(db):
    response = Client().get("/account/feed-addresses/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_feeds_page_and_opml_offer_both_ways(alice, entries):
    browser = signed_in(alice)
    page = browser.get("/feeds/").content.decode()
    assert 'href="/account/feed-addresses/"' in page
    assert 'href="/account/app-passwords/"' in page
    opml = browser.get("/feeds/opml/").content.decode()
    assert "username and an app password (http://testserver/account/app-passwords/)" in opml
    assert "secret feed address instead (http://testserver/account/feed-addresses/)" in opml
    assert "<!--" not in Client().get("/feeds/opml/").content.decode()  # only public feeds


@pytest.mark.parametrize(
    "secret",
    ["feed_" + "\x00" * 43, "feed_" + "é" * 43, "feed_" + "a" * 5000, "feed_" + "a" * 42],
    ids=["nul", "non-ascii", "long", "short"],
)
def test_a_secret_of_any_other_shape_never_reaches_the_database(
    alice_reads, secret, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert SecretAddress.find(secret) is None
    assert Client().get(f"/feeds/s/{secret}/members.rss").status_code == 404

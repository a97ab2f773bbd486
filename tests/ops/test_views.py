"""ops' pages: /status/ and the objects flush, through Django's test client and real memcached."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import caches

from tests.support.users import PASSWORD, signed_in


@pytest.fixture
def bob(bob):
    """Staff who may flush the objects cluster, as the demo's bob."""
    bob.user_permissions.add(
        Permission.objects.get(content_type__app_label="ops", codename="flush_objects")
    )
    return bob


def test_status_needs_a_signed_in_user(client):
    response = client.get("/status/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/status/"


def test_status_shows_both_clusters_and_which_holds_the_session(alice, memcached_sessions):
    html = signed_in(alice).get("/status/").content.decode()
    objects = html[html.index('id="cluster-default"') : html.index('id="cluster-sessions"')]
    sessions = html[html.index('id="cluster-sessions"') :]
    assert "The objects cluster" in objects
    assert "Does not hold your session." in objects
    assert "The sessions cluster" in sessions
    assert "Holds your session." in sessions
    # Members see states, not addresses; only staff may flush.
    assert memcached_sessions.address not in html
    assert "/status/flush-objects/" not in html


def test_status_shows_staff_the_nodes_and_the_flush_button(bob, memcached_sessions):
    html = signed_in(bob).get("/status/").content.decode()
    assert f"<code>{memcached_sessions.address}</code> (your session)" in html
    assert "<dt>Evictions</dt>" in html
    assert '<a class="button" href="/status/flush-objects/">' in html


def test_flushing_the_object_cache_asks_first_and_keeps_you_signed_in(bob):
    browser = signed_in(bob)
    caches["default"].set("cached-object", "value")
    confirm = browser.get("/status/flush-objects/")
    assert confirm.status_code == 200
    assert "<h1>Flush the object cache?</h1>" in confirm.content.decode()
    assert caches["default"].get("cached-object") == "value"  # asking flushes nothing

    response = browser.post("/status/flush-objects/", follow=True)
    assert response.redirect_chain == [("/status/", 302)]
    html = response.content.decode()
    assert "The object cache is flushed, and you are still signed in" in html
    assert "Signed in as <strong>bob</strong>" in html
    assert caches["default"].get("cached-object") is None


def test_staff_without_the_permission_may_not_flush(db):
    """SECURITY.md, second review, #6: any staff member could flush, resetting the Basic
    throttle."""
    carol = get_user_model().objects.create_user("carol", password=PASSWORD, is_staff=True)
    browser = signed_in(carol)
    caches["default"].set("cached-object", "value")
    assert "/status/flush-objects/" not in browser.get("/status/").content.decode()
    for response in (browser.get("/status/flush-objects/"), browser.post("/status/flush-objects/")):
        assert response.status_code == 403
        assert "<h1>Forbidden</h1>" in response.content.decode()
    assert caches["default"].get("cached-object") == "value"


def test_members_and_visitors_may_not_flush(alice, client):
    caches["default"].set("cached-object", "value")
    assert signed_in(alice).post("/status/flush-objects/").status_code == 403
    visitor = client.post("/status/flush-objects/")
    assert visitor.status_code == 302
    assert visitor["Location"] == "/accounts/login/?next=/status/flush-objects/"
    assert caches["default"].get("cached-object") == "value"

"""Every form of the decorators, on sync, async and callable-object views."""

import xml.etree.ElementTree as ET

import pytest

from httpauth.decorators import has_perm_or_basicauth, logged_in_or_basicauth
from tests.httpauth import urls
from tests.support.users import PASSWORD, basic

FORMS = {
    "/bare/": "Restricted",
    "/called/": "Restricted",
    "/async/": "Async",
    "/feed.rss": "Feed",
}


@pytest.mark.parametrize(("path", "realm"), FORMS.items(), ids=FORMS.keys())
def test_each_form_challenges_with_its_realm(client, db, path, realm):
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == f'Basic realm="{realm}", charset="UTF-8"'


@pytest.mark.parametrize("path", ["/bare/", "/called/", "/async/"])
def test_each_form_lets_basic_credentials_in(client, alice, path):
    response = client.get(path, HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 200
    assert response.content == b"user=alice"
    assert "private" in response["Cache-Control"]


def test_the_realm_default_is_a_setting_read_at_call_time(client, db, settings):
    settings.HTTPAUTH_REALM = "Our feeds"
    assert client.get("/bare/")["WWW-Authenticate"] == 'Basic realm="Our feeds", charset="UTF-8"'


def test_a_syndication_feed_instance_can_be_decorated(client, alice):
    response = client.get("/feed.rss", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Authorization" in response["Vary"]
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Who"


def test_wraps_keeps_the_views_identity():
    assert urls.bare.__name__ == "bare"
    assert urls.realm.__wrapped__.__name__ == "realm"
    assert urls.called.__module__ == "tests.httpauth.urls"

    def documented(request):
        """Say hello."""

    for decorate in (logged_in_or_basicauth, has_perm_or_basicauth("x.y")):
        wrapped = decorate(documented)
        assert (wrapped.__name__, wrapped.__doc__) == ("documented", "Say hello.")
        assert wrapped.__wrapped__ is documented


def test_async_views_stay_async():
    import inspect

    assert inspect.iscoroutinefunction(urls.async_view)
    assert not inspect.iscoroutinefunction(urls.bare)


def test_a_realm_passed_by_position_is_a_clear_error():
    from httpauth.decorators import logged_in_or_basicauth

    with pytest.raises(TypeError, match=r"takes the realm by keyword: realm='Members'"):
        logged_in_or_basicauth("Members")

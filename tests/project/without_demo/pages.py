"""The site's pages without the demo layer. Run by tests/project/test_without_demo.py under
tests/project/without_demo/settings.py (not collected on its own: the name is not test_*)."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from tests.users import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)


def test_the_demo_layer_is_not_installed():
    assert not apps.is_installed("feeds")
    assert not apps.is_installed("demo")


def test_home_renders_without_feed_links_or_entries(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Django on two memcached clusters</h1>" in html
    assert '<a href="/" aria-current="page">Home</a>' in html
    assert 'rel="alternate"' not in html
    assert "/feeds/" not in html
    assert "/entries/" not in html


def test_the_demo_layers_addresses_are_not_found(client):
    for path in ("/entries/", "/feeds/", "/feeds/latest.rss"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Not found</h1>" in response.content.decode()


def test_sign_in_and_the_account_page(alice):
    browser = Client()
    form = browser.get("/accounts/login/")
    assert form.status_code == 200
    assert 'name="username"' in form.content.decode()
    response = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    account = browser.get("/account/")
    assert account.status_code == 200
    html = account.content.decode()
    assert "<h1>Your account</h1>" in html
    assert "Signed in as <strong>alice</strong>" in html
    assert browser.get("/account/sessions/").status_code == 200


def test_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Not found</h1>" in html
    assert '<a href="/">Back to the home page</a>' in html


def test_the_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/fail/")
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in response.content.decode()

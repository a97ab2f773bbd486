"""Site pages (home, sign-in, admin) through Django's test client and real memcached."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client

from tests.support.caches import holds_under_any_alias
from tests.support.users import PASSWORD, signed_in


def cache_key(prefix, key):
    return f"{prefix}:1:{key}"


@pytest.mark.django_db
def test_home_renders_navigation_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<a href="/" aria-current="page">Home</a>' in html
    assert '<a href="/accounts/login/?next=/">Sign in</a>' in html
    assert "<title>Home · Reference site</title>" in html
    # Static files come through the manifest storage: hashed names, cacheable forever.
    assert re.search(r'<link rel="stylesheet" href="/static/site\.[0-9a-f]{12}\.css">', html)


@pytest.mark.django_db
def test_home_keeps_its_cache_note_in_the_objects_cluster_only(
    client, memcached_objects, memcached_sessions
):
    writes_before = memcached_sessions.stats()["cmd_set"]
    first = client.get("/").content.decode()
    second = client.get("/").content.decode()
    note = re.search(r'<aside class="note" id="cache-note">.*?</aside>', first, re.S).group()
    assert note in second  # the same rendering, served from the cache
    key = make_template_fragment_key("home_cache_note")
    assert memcached_objects.holds(f"objects:1:{key}")
    assert memcached_sessions.stats()["cmd_set"] == writes_before


@pytest.mark.django_db
def test_home_answers_while_the_objects_cluster_is_down(client, stop_cluster):
    stop_cluster("default")
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="cache-note"' in response.content.decode()


PAGES = ["/", "/accounts/login/", "/admin/login/", "/status/", "/account/"]


def test_no_page_answers_500_while_the_sessions_cluster_is_down(alice, stop_cluster):
    browser = signed_in(alice)
    stop_cluster("sessions")
    for path in PAGES:
        response = browser.get(path)
        assert response.status_code in (200, 302), path
    home = browser.get("/")
    assert "Sign in</a>" in home.content.decode()  # signed out for the outage...
    assert "sessionid" not in home.cookies  # ...but the cookie is kept for afterwards
    assert browser.get("/status/")["Location"] == "/accounts/login/?next=/status/"


def test_the_apps_pages_are_shown_in_the_sites_layout(alice):
    browser = signed_in(alice)
    for path, heading in [
        ("/account/sessions/", "<h1>Your sessions</h1>"),
        ("/account/app-passwords/", "<h1>App passwords</h1>"),
    ]:
        html = browser.get(path).content.decode()
        assert heading in html, path
        assert "Signed in as <strong>alice</strong>" in html, path  # templates/base.html


@pytest.mark.django_db
def test_admin_login_page_renders(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_sign_in_round_trip_keeps_the_session_in_the_sessions_cluster(
    alice, memcached_objects, memcached_sessions
):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/login/")
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value

    response = browser.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    session_key = browser.cookies["sessionid"].value
    stored = cache_key("sessions", f"django.contrib.sessions.cache{session_key}")
    assert memcached_sessions.holds(stored)
    assert not holds_under_any_alias(
        memcached_objects, f"django.contrib.sessions.cache{session_key}"
    )

    home = browser.get("/").content.decode()
    assert "Signed in as <strong>alice</strong>" in home

    # Flushing the object cache signs nobody out: the point of two clusters.
    caches["default"].clear()
    assert "Signed in as <strong>alice</strong>" in browser.get("/").content.decode()

    csrf = browser.cookies["csrftoken"].value
    logout = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf})
    assert logout.status_code == 302
    assert not memcached_sessions.holds(stored)
    assert "Sign in</a>" in browser.get("/").content.decode()


def test_sign_in_with_a_wrong_password_shows_the_form_again(alice):
    response = Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "sessionid" not in response.cookies

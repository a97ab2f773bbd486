"""Django's LoginRequiredMiddleware (5.1+) sends every anonymous request to the sign-in page,
except to views that handle authentication themselves: httpauth's are such views."""

import pytest

from tests.support.users import PASSWORD, basic

LOGIN_REQUIRED = "django.contrib.auth.middleware.LoginRequiredMiddleware"
# Every way httpauth protects a view (tests/httpauth/urls.py), and what alice gets from it.
PROTECTED = {
    "/bare/": 200,
    "/called/": 200,
    "/realm/": 200,
    "/perm/": 403,
    "/async/": 200,
    "/class/": 200,
    "/class-perm/": 403,
    "/class-async/": 200,
    "/feed.rss": 200,
}


@pytest.fixture(autouse=True)
def login_required_everywhere(settings):
    middleware = list(settings.MIDDLEWARE)
    after = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    middleware.insert(after + 1, LOGIN_REQUIRED)
    settings.MIDDLEWARE = middleware


@pytest.mark.parametrize("path", PROTECTED, ids=PROTECTED)
def test_httpauth_views_challenge_instead_of_redirecting(client, db, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="')


@pytest.mark.parametrize(("path", "status"), PROTECTED.items(), ids=PROTECTED)
def test_httpauth_views_take_basic_credentials(client, alice, path, status):
    response = client.get(path, HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == status
    if status == 200 and path != "/feed.rss":
        assert response.content == b"user=alice"


def test_other_views_still_require_signing_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"

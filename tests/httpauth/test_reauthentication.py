"""httpauth.reauthentication: the window after the password, and HTTPAUTH_REAUTHENTICATION_URL,
where the users HTTPAUTH_REQUIRE_APP_PASSWORD names confirm instead (the page that creates an
app password is the example; feeds' secret addresses use the same form)."""

import time

import pytest

from httpauth.models import AppPassword
from httpauth.reauthentication import SESSION_KEY, note_authentication
from tests.support.users import PASSWORD, make_user, signed_in

pytestmark = pytest.mark.django_db


def needs_one(user):
    return user.username == "alice"


@pytest.fixture
def confirming_elsewhere(settings):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    settings.HTTPAUTH_REAUTHENTICATION_URL = "/confirm-it-is-you/"


def test_their_password_at_sign_in_opens_no_window(alice, confirming_elsewhere):
    assert SESSION_KEY not in signed_in(alice).session
    assert SESSION_KEY in signed_in(make_user("carol")).session  # not named: as before


def test_their_form_takes_no_password_and_links_to_the_page(alice, confirming_elsewhere):
    client = signed_in(alice)
    page = client.get("/account/app-passwords/")
    assert page.status_code == 200
    assert b'href="/confirm-it-is-you/?next=%2Faccount%2Fapp-passwords%2F"' in page.content
    assert b'name="password"' not in page.content
    response = client.post("/account/app-passwords/", {"name": "x", "password": PASSWORD})
    assert response.status_code == 200
    assert not AppPassword.objects.exists()


def test_once_that_page_notes_it_they_create(alice, confirming_elsewhere, rf):
    client = signed_in(alice)
    session = client.session
    session[SESSION_KEY] = int(time.time())  # what note_authentication(request) writes
    session.save()
    response = client.post("/account/app-passwords/", {"name": "Newsboat"})
    assert response.status_code == 200
    assert AppPassword.objects.filter(user=alice, name="Newsboat").exists()
    request = rf.get("/")
    request.session = {}
    note_authentication(request)
    assert time.time() - request.session[SESSION_KEY] < 5


def test_without_the_url_their_password_confirms_as_everyones(alice, settings):
    settings.HTTPAUTH_REQUIRE_APP_PASSWORD = needs_one
    settings.HTTPAUTH_REAUTHENTICATION_URL = None
    assert SESSION_KEY in signed_in(alice).session

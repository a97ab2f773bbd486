"""Changing a password, by the user or by an admin, and what becomes of app passwords."""

import pytest

from httpauth.models import AppPassword
from tests.support.users import PASSWORD, signed_in

NEW_PASSWORD = "a new password, entirely"


@pytest.fixture
def alice(alice):
    AppPassword.issue(alice, "newsboat")
    AppPassword.issue(alice, "miniflux")
    return alice


def change_password(alice, **extra):
    browser = signed_in(alice)
    form = browser.get("/accounts/password_change/").content.decode()
    assert "<h1>Change your password</h1>" in form  # the site's template, not the admin's
    assert "Signed in as <strong>alice</strong>" in form
    assert 'name="revoke_reader_access"' in form
    assert "checked" in form.split('name="revoke_reader_access"')[1].split(">")[0]
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return browser.post("/accounts/password_change/", {**data, **extra}, follow=True)


def test_a_password_change_revokes_app_passwords_by_default_and_says_so(alice):
    response = change_password(alice, revoke_reader_access="on")
    assert response.redirect_chain == [("/accounts/password_change/done/", 302)]
    assert "<h1>Password changed</h1>" in response.content.decode()
    assert "Revoked with your old password: 2 app passwords. Give your readers new ones." in (
        response.content.decode()
    )
    assert not AppPassword.objects.filter(user=alice).exists()


def test_the_user_may_keep_them(alice):
    response = change_password(alice)  # the box unchecked: a browser sends nothing
    assert "revoked" not in response.content.decode()
    assert AppPassword.objects.filter(user=alice).count() == 2


def test_a_password_set_by_an_admin_revokes_them_and_says_so(alice, admin_client):
    response = admin_client.post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        follow=True,
    )
    assert "Revoked with the old password: 2 app passwords." in (response.content.decode())
    assert not AppPassword.objects.filter(user=alice).exists()

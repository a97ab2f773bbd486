"""The account page, the sign-in forms and the user admin."""

import pytest
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.support.users import PASSWORD


def test_the_account_page_links_to_sessions_app_passwords_and_password(client, alice):
    client.force_login(alice)
    response = client.get("/account/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Signed in as <strong>alice</strong> (alice@example.com)" in html
    for url in ("/account/sessions/", "/account/app-passwords/", "/accounts/password_change/"):
        assert f'href="{url}"' in html


def test_the_account_page_asks_visitors_to_sign_in(client, db):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/account/"


def test_the_user_admin_offers_sign_out_everywhere(admin_client):
    response = admin_client.get(reverse(admin_urlname(get_user_model()._meta, "changelist")))
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/admin/accounts/user/"
    html = response.content.decode()
    assert '<option value="sign_out_everywhere">Sign out everywhere</option>' in html


@pytest.mark.parametrize("sign_in", ["/accounts/login/", "/admin/login/"])
def test_the_sites_sign_in_forms_are_throttled_across_usernames(client, alice, settings, sign_in):
    settings.HTTPAUTH_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        assert client.post(sign_in, {"username": f"user{n}", "password": "x"}).status_code == 200
    right = client.post(sign_in, {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session

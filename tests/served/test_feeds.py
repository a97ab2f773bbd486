"""The feeds as a reader polls them from the served site: Basic, validators, one rendering
whatever the Host."""

import base64
import subprocess

import feedparser
import pytest

from tests.support.sites import DEMO_PASSWORD, get

pytestmark = pytest.mark.slow


def basic_header(username, password=DEMO_PASSWORD):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_a_feed_reader_reads_the_members_feed_and_polls_with_validators(site):
    url = f"{site.url}/feeds/members.rss"
    feed = feedparser.parse(url, request_headers={"Authorization": basic_header("alice")})
    assert feed.status == 200
    assert feed.bozo == 0
    assert len(feed.entries) == 25  # the demo data: 17 public and 8 members entries
    assert any(item.title.startswith("[Members] ") for item in feed.entries)
    assert all(item.link.startswith(f"{site.url}/entries/demo-") for item in feed.entries)

    again = feedparser.parse(
        url,
        etag=feed.etag,
        modified=feed.modified,
        request_headers={"Authorization": basic_header("alice")},
    )
    assert again.status == 304
    assert again.entries == []


def test_every_host_variant_gets_the_public_feed_from_one_rendering(site, site_objects):
    variants = ["localhost", "LOCALHOST", "localhost.", "localhost:8000", "localhost:70000"]
    get(site, "/feeds/latest.atom")  # the rendering is stored now (or was already)
    stores = site_objects.stats()["cmd_set"]
    for host in variants:
        response = get(site, "/feeds/latest.atom", headers={"Host": host})
        assert response.status_code == 200, host
        assert f"http://{host}/entries/".encode() in response.content, host
    assert site_objects.stats()["cmd_set"] == stores  # no rendering per Host


FRANK = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("frank", password="frank-password-for-curl")
"""
FRANKS_AUTHENTICATOR = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=get_user_model().objects.get(username="frank"), name="Phone")
"""
FRANKS_APP_PASSWORD = """
from django.contrib.auth import get_user_model
from httpauth.models import AppPassword
print(AppPassword.issue(get_user_model().objects.get(username="frank"), "curl")[1])
"""


def curl(site, credentials):
    """``curl -u`` on the members feed: the status, then the body."""
    result = subprocess.run(
        ["curl", "-sS", "-u", credentials, "-w", "\n%{http_code}", f"{site.url}/feeds/members.rss"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    body, _, status = result.stdout.rpartition("\n")
    return int(status), body


def test_with_a_second_factor_curl_needs_an_app_password(site):
    """As docs/accounts.md says: once frank has a factor, his own password answers 401 naming
    app passwords, though the credential cache remembers it from the poll before; an app
    password answers 200."""
    site.manage("shell", "--no-imports", "-c", FRANK)
    assert curl(site, "frank:frank-password-for-curl")[0] == 200  # and now remembered
    site.manage("shell", "--no-imports", "-c", FRANKS_AUTHENTICATOR)
    status, body = curl(site, "frank:frank-password-for-curl")
    assert status == 401
    assert "app password" in body
    token = site.manage("shell", "--no-imports", "-c", FRANKS_APP_PASSWORD).stdout.strip()
    status, body = curl(site, f"frank:{token}")
    assert status == 200
    assert body.startswith("<?xml")
    assert "<rss" in body

"""What gunicorn's and the site's logs hold: every request on stdout, and never a secret: not
an address's, an app password's or a reset link's."""

import pytest
import requests

from tests.support.sites import get, raw_get

pytestmark = pytest.mark.slow


def test_access_log_goes_to_stdout(site):
    since = len(site.log())
    get(site, "/healthz")
    assert len(site.log_lines(r'"GET /healthz HTTP/1\.1" 200 2 ', since=since)) == 1


NEW_APP_PASSWORD_FOR_ALICE = """
from django.contrib.auth import get_user_model
from httpauth.models import AppPassword
print(AppPassword.issue(get_user_model().objects.get(username="alice"), "log test")[1])
"""


def test_secrets_never_reach_the_log(site):
    since = len(site.log())
    address = site.manage(
        "feed_url", "alice", "--feed", "members", "--site-url", site.url
    ).stdout.strip()
    secret = address.split("/")[5]
    assert secret.startswith("feed_")
    wrong = address.replace(secret, secret[:-4] + "abcd")
    app_password = site.manage(
        "shell", "--no-imports", "-c", NEW_APP_PASSWORD_FOR_ALICE
    ).stdout.strip()
    browser = requests.Session()
    assert browser.get(address, headers={"Referer": address}, timeout=10).status_code == 200
    assert browser.get(wrong, timeout=10).status_code == 404  # Django logs "Not Found: <path>"
    login = browser.get(f"{site.url}/accounts/login/", params={"next": wrong}, timeout=10)
    assert login.status_code == 200
    assert browser.get(f"{site.url}/?token={app_password}", timeout=10).status_code == 200
    # SECURITY.md, second review, #5: Django decodes the path, so escaped addresses open the
    # feed too (sent raw: requests would unescape them).
    for escaped in ("/feed%5F", "/%66eed_"):
        assert raw_get(site, address.replace(site.url, "").replace("/feed_", escaped)) == 200
    # Every one of those lines is there, each secret masked: the access log's paths and
    # Referer, Django's "Not Found", the sign-in link's URL-encoded ?next=, a query string,
    # the escaped addresses.
    masked = r"feed_\[redacted\]/members\.rss"
    assert len(site.log_lines(f"/feeds/s/{masked}", since=since, at_least=5)) == 5  # %5F too
    assert len(site.log_lines(f"/feeds/s/%66eed_{masked[5:]}", since=since)) == 1
    assert len(site.log_lines(f"Not Found: /feeds/s/{masked}", since=since)) == 1
    encoded = r"next=[^ ]*%2Fs%2Ffeed_\[redacted\]%2Fmembers\.rss"
    assert len(site.log_lines(encoded, since=since)) == 1
    assert len(site.log_lines(r"\?token=app_\[redacted\]", since=since)) == 1
    log = site.log()[since:]
    for leaked in (secret[5:], wrong.split("/")[5], secret[5:25], app_password, app_password[4:24]):
        assert leaked not in log


def test_without_a_mail_server_password_reset_answers_503_and_the_log_holds_no_link(site):
    """SECURITY.md, second review, #2: the production defaults wrote every reset link to the log."""
    since = len(site.log())
    browser = requests.Session()
    form = browser.get(f"{site.url}/accounts/password_reset/", timeout=10)
    assert form.status_code == 503
    assert "<h1>Password reset unavailable</h1>" in form.text
    browser.get(f"{site.url}/accounts/login/", timeout=10)  # a CSRF cookie
    asked = browser.post(
        f"{site.url}/accounts/password_reset/",
        data={"email": "bob@example.com", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=10,
    )
    assert asked.status_code == 503
    site.log_lines(r'"POST /accounts/password_reset/ HTTP/1\.1" 503 ', since=since)
    log = site.log()[since:]
    assert "/accounts/reset/" not in log
    assert "bob@example.com" not in log
    assert "Traceback" not in log

"""The site behind a real nginx terminating TLS on loopback, as docs/deployment.md sets it up:
gunicorn believes the proxy, and only the proxy, about the client's address and the scheme
(DJANGO_TRUSTED_PROXIES; SECURITY.md).

Clients connect from addresses of their own (127.0.0.2, 127.0.0.3...: all of 127/8 is
loopback), so that nginx, like a real proxy, forwards requests of several clients from one
address of its own, 127.0.0.1.
"""

import re

import pytest
import requests

from tests.support.daemons import Nginx, client_from
from tests.support.sites import DEMO_PASSWORD, start_site

pytestmark = pytest.mark.slow

MEMBERS_FEED = "/feeds/members.rss"


def client_at(address, proxy):
    return client_from(address, verify=proxy.certificate)


@pytest.fixture(scope="module")
def site(proxied_site):
    return proxied_site


@pytest.fixture(scope="module")
def proxy(site):
    with Nginx(site.port) as nginx:
        yield nginx


def poll(client, proxy, username, password):
    return client.get(proxy.url + MEMBERS_FEED, auth=(username, password), timeout=30)


def test_through_the_proxy_pages_are_https_and_basic_is_accepted(proxy):
    reader = client_at("127.0.0.4", proxy)
    home = reader.get(proxy.url + "/", timeout=10)
    assert home.status_code == 200
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    feed = poll(reader, proxy, "bob", DEMO_PASSWORD)
    assert feed.status_code == 200
    assert f'<atom:link href="{proxy.url}{MEMBERS_FEED}" rel="self"' in feed.text
    plain = reader.get(f"http://127.0.0.1:{proxy.http_port}/", allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"{proxy.url}/"


def test_a_guesser_locks_out_their_own_address_not_the_proxys(proxy, site):
    guesser, member = client_at("127.0.0.2", proxy), client_at("127.0.0.3", proxy)
    for _ in range(5):
        assert poll(guesser, proxy, "alice", "a wrong guess").status_code in (401, 429)
    assert poll(guesser, proxy, "alice", DEMO_PASSWORD).status_code == 429
    # A client of its own may claim any X-Forwarded-For: nginx appends the real address.
    spoofing = guesser.get(
        proxy.url + MEMBERS_FEED,
        auth=("alice", DEMO_PASSWORD),
        headers={"X-Forwarded-For": "127.0.0.3"},
        timeout=30,
    )
    assert spoofing.status_code == 429
    # The member, behind the same proxy, reads on.
    assert poll(member, proxy, "alice", DEMO_PASSWORD).status_code == 200


def test_the_session_list_and_the_access_log_show_the_clients_address(proxy, site):
    browser = client_at("127.0.0.5", proxy)
    form = browser.get(proxy.url + "/accounts/login/", timeout=10)
    signed_in = browser.post(
        proxy.url + "/accounts/login/",
        data={
            "username": "bob",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": form.url},
        timeout=10,
    )
    assert signed_in.status_code == 200
    sessions = browser.get(proxy.url + "/account/sessions/", timeout=10).text
    assert '<span class="muted">127.0.0.5</span>' in sessions
    assert '<span class="muted">127.0.0.1</span>' not in sessions
    # The access line is written after the response has left: wait for it, then read.
    site.log_lines(r'(?m)^127\.0\.0\.5 .* "GET /account/sessions/ HTTP/1\.[01]" 200')
    assert not re.search(r'^127\.0\.0\.1 .* "GET /account/sessions/ HTTP', site.log(), re.M)


# Finding 4: the scheme is the trusted proxy's word, and nobody else's.


@pytest.fixture(scope="module")
def site_without_proxy(site_objects, site_sessions, tmp_path_factory, collected_static):
    """HTTPS required and no proxy trusted: what anyone running gunicorn alone gets."""
    server = start_site(
        tmp_path_factory.mktemp("no-proxy"), site_objects, site_sessions, DJANGO_HTTPS="true"
    )
    yield server
    server.stop()


@pytest.mark.parametrize(
    "header", [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"}], ids=["proto", "ssl"]
)
def test_without_a_trusted_proxy_no_client_can_claim_https(site_without_proxy, header):
    response = requests.get(
        site_without_proxy.url + MEMBERS_FEED,
        headers=header,
        auth=("bob", DEMO_PASSWORD),
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")


def test_a_client_beside_the_proxy_cannot_claim_https(site, proxy):
    """Straight to gunicorn from an address that is not the proxy's."""
    direct = client_at("127.0.0.6", proxy).get(
        site.url + "/",
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=10,
    )
    assert direct.status_code == 301

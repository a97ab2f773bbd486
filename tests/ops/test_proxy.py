"""The client's address behind trusted proxies (ops.proxy, DJANGO_TRUSTED_PROXIES)."""

import pytest
from django.test import Client

from ops.proxy import client_address
from sessions_backend import user_sessions
from tests.support.users import PASSWORD, signed_in

PROXY = "10.0.0.2"
TRUSTED = ["10.0.0.2/32", "192.168.0.0/16"]


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "client"),
    [
        # From the proxy: the address it appended, the rightmost.
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # What the client wrote itself, to the left, is not believed.
        (PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # Trusted hops are skipped from the right; the first untrusted one is the client.
        (PROXY, "203.0.113.7, 192.168.4.4", "203.0.113.7"),
        # Only trusted hops: the leftmost is the client, inside the trusted networks.
        (PROXY, "192.168.1.5, 192.168.4.4", "192.168.1.5"),
        # IPv6, and hops with ports.
        (PROXY, "[2001:db8::7]:4711", "2001:db8::7"),
        (PROXY, "203.0.113.7:4711", "203.0.113.7"),
        # A malformed hop where the client should be: the proxy's address stays.
        (PROXY, "203.0.113.7, not-an-address", PROXY),
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        # Not from a trusted proxy: the header is the client's own, and ignored.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1", "127.0.0.1"),
    ],
)
def test_client_address(remote_addr, forwarded_for, client):
    assert client_address(remote_addr, forwarded_for, TRUSTED) == client


def test_no_trusted_proxy_believes_no_header():
    assert client_address(PROXY, "203.0.113.7", []) == PROXY


@pytest.fixture
def behind_the_proxy(settings):
    settings.OPS_TRUSTED_PROXIES = TRUSTED


def via_proxy(client_address):
    """A browser behind the proxy: every request comes from it, naming the client."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_the_session_list_shows_the_clients_address(behind_the_proxy, alice):
    signed_in(alice, via_proxy("203.0.113.7"))
    [entry] = user_sessions.prune_and_list(alice.pk)
    assert entry["ip"] == "203.0.113.7"


def sign_in(browser, password, **extra):
    form = {"username": "alice", "password": password}
    return browser.post("/accounts/login/", form, **extra).status_code


def test_a_lockout_is_the_guessers_not_everyones_behind_the_proxy(behind_the_proxy, alice):
    guesser, member = via_proxy("203.0.113.66"), via_proxy("203.0.113.7")
    for _ in range(5):  # AXES_FAILURE_LIMIT
        sign_in(guesser, "wrong")
    assert sign_in(guesser, PASSWORD) == 429
    assert sign_in(member, PASSWORD) == 302


def test_a_guesser_cannot_shift_the_lockout_onto_another_address(behind_the_proxy, alice):
    guesser = Client(REMOTE_ADDR=PROXY)
    for n in range(5):  # each guess claims another address; the proxy appends the real one
        sign_in(guesser, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.66")
    assert sign_in(via_proxy("203.0.113.66"), PASSWORD) == 429
    assert sign_in(via_proxy("198.51.100.1"), PASSWORD) == 302

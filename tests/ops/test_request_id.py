"""ops.request_id: one id per request, the trusted proxy's or a new one."""

import re

import pytest
from django.core.signals import got_request_exception
from django.test import Client

from ops import request_id

NEW_ID = re.compile(r"[0-9a-f]{32}")


def test_each_request_gets_a_new_id_in_its_response(client):
    first, second = client.get("/"), client.get("/")
    assert NEW_ID.fullmatch(first["X-Request-ID"])
    assert NEW_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_id_is_on_every_answer_probes_and_errors_included(client):
    for path in ("/healthz", "/metrics", "/no/such/page/", "/feeds/members.rss"):
        assert NEW_ID.fullmatch(client.get(path)["X-Request-ID"]), path


def test_a_trusted_proxys_id_is_kept(settings):
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = Client(REMOTE_ADDR="10.1.2.3").get("/", HTTP_X_REQUEST_ID="0a1b2c3d4e5f")
    assert response["X-Request-ID"] == "0a1b2c3d4e5f"


def test_anyone_elses_id_is_replaced(settings):
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = Client(REMOTE_ADDR="203.0.113.7").get("/", HTTP_X_REQUEST_ID="0a1b2c3d4e5f")
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_the_peer_decides_not_the_forwarded_address(settings):
    # The trusted proxy forwards a client's address: the id is still the proxy's word.
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = Client(REMOTE_ADDR="10.1.2.3").get(
        "/", HTTP_X_REQUEST_ID="from-the-proxy", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response["X-Request-ID"] == "from-the-proxy"


@pytest.mark.parametrize(
    "given", ["", "a" * 129, "two words", "line\nbreak", 'quote"d', "é", "<script>"]
)
def test_a_trusted_proxys_id_that_is_not_a_short_token_is_replaced(settings, given):
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = Client(REMOTE_ADDR="10.1.2.3").get("/", HTTP_X_REQUEST_ID=given)
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_the_id_is_current_while_the_request_is_handled_and_not_after(client, settings):
    seen = []

    def record(sender, **kwargs):
        seen.append(request_id.current())

    settings.ROOT_URLCONF = "tests.project.errors_urls"
    client.raise_request_exception = False
    got_request_exception.connect(record)
    try:
        response = client.get("/bug/")
    finally:
        got_request_exception.disconnect(record)
    assert response.status_code == 500
    assert seen == [response["X-Request-ID"]]
    assert request_id.current() is None  # request_finished: the request is over

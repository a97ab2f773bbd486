"""The feeds' security headers: a feed loads nothing, and a refused reader gets the pages'
policy (SECURITY.md)."""

import pytest

from tests.support.users import PASSWORD, basic

FEEDS = ["/feeds/latest.rss", "/feeds/latest.atom", "/feeds/opml/"]


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", FEEDS)
def test_feeds_load_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_refused_reader_gets_the_pages_policy_not_the_feeds(client, alice):
    refused = client.get("/feeds/members.rss", HTTP_AUTHORIZATION=basic("alice", "wrong"))
    assert refused.status_code == 401
    assert directives(refused)["style-src"] == "'self'"  # the 401 page shows the stylesheet
    admitted = client.get("/feeds/members.rss", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert admitted["Content-Security-Policy"] == "default-src 'none'"

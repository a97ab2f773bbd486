"""The feeds as a reader polls them from the served site: Basic, validators, one rendering
whatever the Host."""

import base64

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

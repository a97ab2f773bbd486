"""JSON Feed 1.1 (feeds.syndication.JSONFeed): every feed in the format NetNewsWire,
Miniflux, FreshRSS and Feedbin read, checked against the format's JSON Schema and item by
item, with the same authentication, validators, rendering cache and hints as RSS and Atom."""

import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from feeds.markup import PLACEHOLDER_HOST
from feeds.models import SecretAddress
from httpauth.models import AppPassword
from tests.support.users import PASSWORD, basic

SCHEMA = json.loads((Path(__file__).parent / "jsonfeed" / "schema-v1.1.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
FEEDS = ["/feeds/latest.json", "/feeds/members.json", "/feeds/staff.json"]


def read(path, user="bob", client=None, **extra):
    response = (client or Client()).get(path, HTTP_AUTHORIZATION=basic(user, PASSWORD), **extra)
    assert response.status_code == 200, response.status_code
    return response, json.loads(response.content)


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_json_feed_1_1(entries, path):
    response, feed = read(path)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    VALIDATOR.validate(feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"].startswith("Reference site: ")
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == f"http://testserver{path}"  # the address the reader used
    assert feed["items"]
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        assert item["id"] == item["url"]
        assert item["url"].startswith("http://testserver/entries/")
        assert item["authors"] == [{"name": "Bob Staff"}]
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None  # RFC 3339
        assert datetime.fromisoformat(item["date_modified"]).tzinfo is not None
        assert 'href="http://testserver/status/"' in item["content_html"]
    assert PLACEHOLDER_HOST.encode() not in response.content


def test_it_holds_what_the_other_formats_hold(entries):
    _response, feed = read("/feeds/staff.json")
    titles = [item["title"] for item in feed["items"]]
    assert "[Draft] Draft Entry" in titles
    assert "[Staff] Staff Entry" in titles
    draft = next(item for item in feed["items"] if item["title"] == "[Draft] Draft Entry")
    assert draft["tags"] == ["public", "draft"]


def test_the_schema_refuses_what_is_not_a_feed():
    """The control: the vendored schema does check something."""
    assert list(VALIDATOR.iter_errors({"version": "https://jsonfeed.org/version/1.1"}))
    assert list(VALIDATOR.iter_errors({"version": "1.1", "title": "x", "items": []}))


def test_private_feeds_need_credentials_and_say_they_are_private(entries, alice):
    assert Client().get("/feeds/members.json").status_code == 401
    _app, token = AppPassword.issue(alice, "NetNewsWire")
    reader = Client(HTTP_AUTHORIZATION=basic("alice", token))
    response = reader.get("/feeds/members.json")
    assert response.status_code == 200
    assert {part.strip() for part in response["Cache-Control"].split(",")} == {
        "private",
        "max-age=900",
    }
    not_modified = reader.get("/feeds/members.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert response["ETag"] != reader.get("/feeds/members.rss")["ETag"]  # a format of its own


def test_a_secret_address_is_the_feeds_own_url_and_reaches_no_other_reader(entries, alice):
    _address, secret = SecretAddress.issue(alice, "members", "NetNewsWire")
    path = f"/feeds/s/{secret}/members.json"
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    VALIDATOR.validate(feed)
    assert feed["feed_url"] == f"http://testserver{path}"
    # Another reader of the same rendering gets its own address, never the secret.
    _other, by_basic = read("/feeds/members.json", user="alice")
    assert by_basic["feed_url"] == "http://testserver/feeds/members.json"
    assert secret not in json.dumps(by_basic)


def test_every_host_gets_its_own_origin_from_one_rendering(entries, settings):
    settings.ALLOWED_HOSTS = ["a.example.com", "b.example.com"]
    feeds = {
        host: read("/feeds/latest.json", HTTP_HOST=host)[1]
        for host in ("a.example.com", "b.example.com")
    }
    for host, feed in feeds.items():
        assert feed["feed_url"] == f"http://{host}/feeds/latest.json"
        assert feed["items"][0]["id"] == f"http://{host}/entries/public-entry/"

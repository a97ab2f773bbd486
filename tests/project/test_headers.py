"""Security headers: a Content-Security-Policy on every page and feed, Referrer-Policy,
Permissions-Policy, X-Content-Type-Options (issue 10, finding 12)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.users import PASSWORD, basic

PAGES = ["/", "/entries/", "/feeds/", "/accounts/login/", "/admin/login/", "/no/such/page/"]
FEEDS = ["/feeds/latest.rss", "/feeds/latest.atom", "/feeds/opml/"]


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy_and_the_other_headers(client, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", FEEDS)
def test_feeds_load_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_refused_reader_gets_the_pages_policy_not_the_feeds(client, db):
    get_user_model().objects.create_user("alice", password=PASSWORD)
    refused = client.get("/feeds/members.rss", HTTP_AUTHORIZATION=basic("alice", "wrong"))
    assert refused.status_code == 401
    assert directives(refused)["style-src"] == "'self'"  # the 401 page shows the stylesheet
    admitted = client.get("/feeds/members.rss", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert admitted["Content-Security-Policy"] == "default-src 'none'"


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_no_template_of_ours_has_inline_script_or_style():
    base = Path(settings.BASE_DIR)
    templates = [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    offenders = {
        str(path.relative_to(base)): INLINE_CODE.findall(path.read_text())
        for path in templates
        if INLINE_CODE.search(path.read_text())
    }
    assert offenders == {}

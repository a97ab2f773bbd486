"""Security headers: a Content-Security-Policy on every page, Referrer-Policy,
Permissions-Policy, X-Content-Type-Options (SECURITY.md); the feeds' in tests/feeds/."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PAGES = ["/", "/accounts/login/", "/admin/login/", "/no/such/page/"]


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

"""ops.sentry: what an error report may carry (tests/served/test_observability.py sends one)."""

from ops import request_id
from ops.sentry import scrub_breadcrumb, scrub_event

SECRET = "app_" + "Q" * 43


def test_every_string_of_an_event_is_masked():
    event = {
        "request": {
            "url": f"https://www.example.com/feeds/s/{SECRET}/members.rss",
            "headers": {"Referer": f"https://www.example.com/feeds/s/{SECRET}/members.rss"},
        },
        "exception": {"values": [{"type": "RuntimeError", "value": "Basic YWxpY2U6cGFzc3dvcmQ="}]},
        "extra": {"tuple": ("app_" + "A" * 43, 7)},
        "level": "error",
    }
    scrubbed = scrub_event(event, hint={})
    assert scrubbed["request"] == {
        "url": "https://www.example.com/feeds/s/app_[redacted]/members.rss",
        "headers": {"Referer": "https://www.example.com/feeds/s/app_[redacted]/members.rss"},
    }
    assert scrubbed["exception"]["values"][0]["value"] == "Basic [redacted]"
    assert scrubbed["extra"]["tuple"] == ("app_[redacted]", 7)
    assert scrubbed["level"] == "error"
    assert "tags" not in scrubbed  # outside a request: no id to tag it with


def test_an_event_of_a_request_is_tagged_with_its_id():
    request_id._current.set("0a1b2c3d")  # as RequestIdMiddleware does, until request_finished
    try:
        scrubbed = scrub_event({"tags": {"level": "x"}}, hint={})
    finally:
        request_id.forget()
    assert scrubbed == {"tags": {"level": "x", "request_id": "0a1b2c3d"}}


def test_breadcrumbs_are_masked_too():
    crumb = {"category": "django.request", "message": f"Not Found: /feeds/s/{SECRET}/staff.rss"}
    assert scrub_breadcrumb(crumb, hint={}) == {
        "category": "django.request",
        "message": "Not Found: /feeds/s/app_[redacted]/staff.rss",
    }

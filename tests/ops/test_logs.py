"""ops.logs: LOG_FORMAT=json, one object a line, the request's id in each, no secret."""

import json
import logging

import pytest

from ops.logs import JsonFormatter

SECRET_PATH = "/feeds/s/app_" + "S" * 43 + "/members.rss"


class Lines(logging.Handler):
    """The lines a JsonFormatter makes of what is logged while it is attached."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def lines():
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


def test_a_line_is_one_json_object_with_the_fields_named(lines):
    logging.getLogger("project.example").warning("disk %s full", "almost")
    [line] = lines
    assert "\n" not in line
    fields = json.loads(line)
    assert list(fields)[:5] == ["time", "level", "logger", "pid", "message"]
    assert fields["level"] == "WARNING"
    assert fields["logger"] == "project.example"
    assert fields["message"] == "disk almost full"
    assert fields["request_id"] is None  # outside a request
    assert fields["time"].endswith("Z")
    assert isinstance(fields["pid"], int)


def test_a_traceback_stays_in_its_line(lines):
    try:
        raise ValueError("bad value at " + SECRET_PATH)
    except ValueError:
        logging.getLogger("project.example").exception("failed")
    [line] = lines
    fields = json.loads(line)
    assert fields["exc_info"].startswith("Traceback (most recent call last):")
    assert "ValueError: bad value at /feeds/s/app_[redacted]/members.rss" in fields["exc_info"]


def test_secrets_are_masked_in_every_field(lines):
    logging.getLogger("project.example").warning(
        "asked with %s",
        "Authorization: Basic YWxpY2U6c2VjcmV0LXBhc3N3b3Jk",
        extra={"http": {"path": SECRET_PATH, "token": "Bearer abcdefghijklmnop"}},
    )
    [line] = lines
    assert "app_SSSS" not in line
    assert "YWxpY2U6" not in line
    assert "abcdefghijklmnop" not in line
    fields = json.loads(line)
    assert fields["message"] == "asked with Authorization: Basic [redacted]"
    assert fields["http"] == {
        "path": "/feeds/s/app_[redacted]/members.rss",
        "token": "Bearer [redacted]",
    }


def test_the_lines_of_a_request_carry_its_id(client, lines):
    response = client.get("/no/such/page/")
    # Django logs the 404 once the middleware chain has returned: still this request's.
    [line] = [json.loads(line) for line in lines if '"django.request"' in line]
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == response["X-Request-ID"]

"""What the httpauth tests send and expect, shared by their modules: malformed Basic headers,
and the lockout's answer."""

import base64

from httpauth.parser import MAX_HEADER_LENGTH

COOL_OFF_SECONDS = "900"  # AXES_COOLOFF_TIME in project/settings.py


def assert_locked_out(response):
    assert response.status_code == 429
    assert response["Retry-After"] == COOL_OFF_SECONDS
    assert "no-store" in response["Cache-Control"]
    assert "Too many failed sign-in attempts" in response.content.decode()


def encoded(raw):
    return "Basic " + base64.b64encode(raw).decode("ascii")


MALFORMED = {
    "empty token": "Basic ",
    "no token": "Basic",
    "bad base64": "Basic not*base64",
    "bad padding": "Basic YWxpY2U6c2VjcmV",
    "two tokens": "Basic YWxpY2U6 c2VjcmV0",
    "no colon": encoded(b"alicesecret"),
    "empty user": encoded(b":secret"),
    "empty password": encoded(b"alice:"),
    "control character": encoded(b"alice:sec\x00ret"),
    "newline": encoded(b"alice\n:secret"),
    "huge": "Basic " + "A" * MAX_HEADER_LENGTH,
}

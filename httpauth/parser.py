"""Read an ``Authorization: Basic`` header, as RFC 7617 says, refusing anything else.

``parse_basic(header)`` returns ``(user_id, password)``; ``None`` when there is no header or
it names another scheme; and raises ``MalformedCredentials`` for a Basic header that is not
well formed. It never raises anything else, whatever the bytes (a property test fuzzes it).
"""

import base64
import binascii
import re

# Far above any real username and password; keeps a hostile header from costing memory.
MAX_HEADER_LENGTH = 4096
# RFC 7235's token68: the characters base64 may use, then its padding.
TOKEN68 = re.compile(r"[A-Za-z0-9+/]+=*")
# RFC 7617 section 2: neither part may contain control characters (RFC 5234 CTL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class MalformedCredentials(ValueError):
    """A Basic header that is not well formed; the message says why, never the credential."""


def parse_basic(header: str | None) -> tuple[str, str] | None:
    if not header:
        return None
    if len(header) > MAX_HEADER_LENGTH:
        raise MalformedCredentials("the header is too long")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":  # the scheme is case-insensitive (RFC 7235 section 2.1)
        return None
    token = token.lstrip(" ")  # 1*SP between scheme and token
    if not TOKEN68.fullmatch(token):
        raise MalformedCredentials("the credentials are not one base64 token")
    try:
        decoded = base64.b64decode(token, validate=True)
    except binascii.Error:
        raise MalformedCredentials("the credentials are not valid base64") from None
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        text = decoded.decode("latin-1")  # what clients that ignore charset="UTF-8" send
    user_id, colon, password = text.partition(":")  # the user-id cannot hold a colon
    if not colon:
        raise MalformedCredentials("the credentials have no colon")
    if not user_id or not password:
        raise MalformedCredentials("the user or the password is empty")
    if CONTROL_CHARACTERS.search(text):
        raise MalformedCredentials("the credentials contain control characters")
    return user_id, password

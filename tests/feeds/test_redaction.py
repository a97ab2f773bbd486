"""Secret feed addresses never reach a log line: SecretAddress.PREFIX is one of the prefixes
ops.redaction masks, in paths, Referers and ?next= alike, however escaped."""

from feeds.models import SecretAddress
from ops.redaction import redact

BODY = "tHcsr-7BRVwXjj8CG0uU6KJKds96y5Ig5qKtWTgB6dM"


def test_a_secret_address_is_masked(alice):
    _address, secret = SecretAddress.issue(alice, "members", "reader")
    line = f'"GET /feeds/s/{secret}/members.rss HTTP/1.1" 200'
    assert redact(line) == '"GET /feeds/s/feed_[redacted]/members.rss HTTP/1.1" 200'


def test_a_secret_cut_short_in_a_next_is_masked_and_words_are_not():
    assert redact("next=%2Ffeeds%2Fs%2Ffeed_0123456789abcdefXYZ%2Fstaff.rss") == (
        "next=%2Ffeeds%2Fs%2Ffeed_[redacted]%2Fstaff.rss"
    )
    assert redact("manage.py feed_url") == "manage.py feed_url"


def test_a_percent_encoded_secret_address_is_masked():
    """Django decodes the path, so these open the feed (SECURITY.md, finding 5)."""
    assert redact(f"GET /feeds/s/feed%5F{BODY}/members.rss") == (
        "GET /feeds/s/feed_[redacted]/members.rss"
    )
    assert redact(f"GET /feeds/s/%66eed_{BODY}/members.rss") == (
        "GET /feeds/s/%66eed_[redacted]/members.rss"
    )
    assert redact(f"/feeds/s/%66%65%65%64%5f%74{BODY[1:]}/staff.rss") == (
        "/feeds/s/%66%65%65%64_[redacted]/staff.rss"
    )

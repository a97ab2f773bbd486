"""RFC 7617's Basic credentials, and everything that is not them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from httpauth.parser import MalformedCredentials, parse_basic
from tests.httpauth.answers import MALFORMED, encoded
from tests.support.users import basic


def test_username_and_password():
    assert parse_basic(basic("alice", "secret")) == ("alice", "secret")


@pytest.mark.parametrize("scheme", ["Basic", "basic", "BASIC", "bAsIc"])
def test_the_scheme_is_case_insensitive(scheme):
    token = basic("alice", "secret").split(" ", 1)[1]
    assert parse_basic(f"{scheme} {token}") == ("alice", "secret")


def test_the_password_may_contain_colons():
    assert parse_basic(basic("alice", "a:b::c:")) == ("alice", "a:b::c:")


def test_utf8_credentials():
    assert parse_basic(basic("zoë", "pässwörd☃")) == ("zoë", "pässwörd☃")


def test_latin1_credentials_from_clients_that_ignore_the_charset():
    assert parse_basic(basic("zoë", "pässwörd", encoding="latin-1")) == ("zoë", "pässwörd")


def test_spaces_between_scheme_and_token_are_allowed():
    token = basic("alice", "secret").split(" ", 1)[1]
    assert parse_basic(f"Basic   {token}") == ("alice", "secret")


@pytest.mark.parametrize("header", [None, "", "Bearer abc.def", "Digest username=x", "Basicx"])
def test_no_basic_credentials_is_none(header):
    assert parse_basic(header) is None


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_basic_credentials_raise(header):
    with pytest.raises(MalformedCredentials):
        parse_basic(header)


def test_the_error_never_repeats_the_credential():
    with pytest.raises(MalformedCredentials) as excinfo:
        parse_basic(encoded(b"alice:top\x01secret"))
    assert "secret" not in str(excinfo.value)
    assert "alice" not in str(excinfo.value)


@given(st.text(max_size=300))
def test_any_text_is_parsed_or_refused_never_crashes(header):
    try:
        result = parse_basic(header)
    except MalformedCredentials:
        return
    assert result is None or (isinstance(result, tuple) and len(result) == 2)


@given(st.binary(max_size=300))
def test_any_bytes_behind_basic_are_parsed_or_refused(raw):
    try:
        result = parse_basic(encoded(raw))
    except MalformedCredentials:
        return
    user_id, password = result
    assert user_id
    assert password
    assert ":" not in user_id


printable = st.characters(blacklist_categories=("Cc", "Cs"))


@given(
    user_id=st.text(printable, min_size=1, max_size=50).filter(lambda text: ":" not in text),
    password=st.text(printable, min_size=1, max_size=50),
)
def test_what_a_client_encodes_is_what_we_read(user_id, password):
    assert parse_basic(basic(user_id, password)) == (user_id, password)

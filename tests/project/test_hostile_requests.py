"""Whatever a visitor sends, no page answers 5xx (security review, issue 10)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

PAGES = [
    "/",
    "/entries/",
    "/feeds/",
    "/feeds/latest.rss",
    "/feeds/members.rss",
    "/accounts/login/",
    "/account/",
    "/account/sessions/",
    "/status/",
]
ENGINES = ["sessions_backend.backends.cache", "sessions_backend.backends.cached_db"]


def as_header(raw):
    """What a server makes of a Cookie header's bytes: latin-1 text, with no line break."""
    return raw.replace(b"\r", b"").replace(b"\n", b"").decode("latin-1")


# Cookie text has no separators, spaces or control characters; beyond ASCII, each character
# is several bytes once encoded, as browsers and scripts send it (an emoji is four).
COOKIE_CHARACTERS = st.characters(min_codepoint=0x21, exclude_characters=';,"\\')
COOKIE_VALUES = st.one_of(
    st.binary(max_size=400),
    st.text(COOKIE_CHARACTERS, max_size=300).map(str.encode),
    # Long runs of one character: under 250 characters, over 250 bytes.
    st.builds(
        lambda character, count: (character * count).encode(),
        st.characters(min_codepoint=0x80, exclude_categories=["Cs"]),
        st.integers(min_value=60, max_value=250),
    ),
)


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=COOKIE_VALUES, path=st.sampled_from(PAGES))
# The review's examples: 120 times "é", 100 bytes of 0xFF, 60 emoji.
@example(value="é".encode() * 120, path="/")
@example(value=b"\xff" * 100, path="/account/")
@example(value="\N{GRINNING FACE}".encode() * 60, path="/feeds/latest.rss")
def test_any_session_cookie_on_any_page_is_never_a_5xx(engine, value, path, django_settings):
    django_settings.SESSION_ENGINE = engine
    response = Client().get(path, HTTP_COOKIE="sessionid=" + as_header(value))
    assert response.status_code < 500, (path, value)


@pytest.fixture
def django_settings(settings):
    """pytest-django's settings fixture, under a name that hypothesis' settings leaves free."""
    return settings

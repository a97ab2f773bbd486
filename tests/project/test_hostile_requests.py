"""Whatever session cookie a visitor sends, no page answers 5xx (SECURITY.md)."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

ENGINES = ["sessions_backend.backends.cache", "sessions_backend.backends.cached_db"]


def site_pages():
    """Every path of the site's URLconf that takes no argument, whatever apps are installed."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if any(mark in route for mark in "<(^"):  # it takes arguments
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            else:
                yield f"/{prefix}{route}"

    return sorted(set(walk(get_resolver().url_patterns, "")))


def test_the_pages_include_the_sites_own():
    assert {"/", "/accounts/login/", "/account/", "/account/sessions/", "/status/"} <= set(
        site_pages()
    )


def as_header(raw):
    """What a server makes of a Cookie header's bytes: latin-1 text, with no line break."""
    return raw.replace(b"\r", b"").replace(b"\n", b"").decode("latin-1")


# Cookie text has no separators, spaces or control characters; beyond ASCII, each character
# is several bytes once encoded, as browsers and scripts send it (an emoji is four). No lone
# surrogates: they have no UTF-8 form (str.encode raises), and no client can send one.
COOKIE_CHARACTERS = st.characters(
    min_codepoint=0x21, exclude_characters=';,"\\', exclude_categories=["Cs"]
)
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
@given(value=COOKIE_VALUES, path=st.deferred(lambda: st.sampled_from(site_pages())))
# The review's examples: 120 times "é", 100 bytes of 0xFF, 60 emoji.
@example(value="é".encode() * 120, path="/")
@example(value=b"\xff" * 100, path="/account/")
@example(value="\N{GRINNING FACE}".encode() * 60, path="/status/")
def test_any_session_cookie_on_any_page_is_never_a_5xx(engine, value, path, django_settings):
    django_settings.SESSION_ENGINE = engine
    django_settings.ACCOUNTS_PASSWORD_RESET = True  # off, its pages answer 503 by design
    response = Client().get(path, HTTP_COOKIE="sessionid=" + as_header(value))
    assert response.status_code < 500, (path, value)


@pytest.fixture
def django_settings(settings):
    """pytest-django's settings fixture, under a name that hypothesis' settings leaves free."""
    return settings

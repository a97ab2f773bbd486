"""Whatever a visitor sends, no page answers 5xx (security review, issue 10)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feeds.models import Entry

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


# Any Host that ALLOWED_HOSTS accepts: any case, a trailing dot, any port, even one past 65535.
HOSTS = st.builds(
    lambda name, upper, dot, port: (
        (name.upper() if upper else name)
        + ("." if dot and not name.startswith("[") else "")
        + (f":{port}" if port is not None else "")
    ),
    st.sampled_from(["localhost", "127.0.0.1", "[::1]"]),
    st.booleans(),
    st.booleans(),
    st.none() | st.integers(min_value=0, max_value=10**12),
)
FEED_PAGES = ["/feeds/latest.rss", "/feeds/latest.atom", "/feeds/", "/feeds/opml/", "/"]


@pytest.mark.django_db
@pytest.mark.parametrize("site_url", [None, "https://www.example.com"], ids=["request", "site-url"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(host=HOSTS, path=st.sampled_from(FEED_PAGES))
@example(host="localhost:70000", path="/feeds/latest.rss")  # nh3 refused its base URL: a 500
def test_any_accepted_host_on_the_feed_pages_is_never_a_5xx(
    site_url, host, path, django_settings, an_entry
):
    django_settings.FEEDS_SITE_URL = site_url
    response = Client().get(path, HTTP_HOST=host)
    assert response.status_code < 500, (path, host)


@pytest.fixture
def an_entry(db):
    """A public entry whose body links relatively: the feeds make the link absolute."""
    author = get_user_model().objects.create_user("author")
    return Entry.objects.create(
        title="Relative",
        slug="relative",
        body="See [the status page](/status/).",
        author=author,
        published_at=timezone.now(),
    )

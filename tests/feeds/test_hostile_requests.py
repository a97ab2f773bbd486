"""Whatever Host the site accepts, no feed page answers 5xx: the feeds build absolute links
from it (SECURITY.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feeds.models import Entry

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


@pytest.fixture
def django_settings(settings):
    """pytest-django's settings fixture, under a name that hypothesis' settings leaves free."""
    return settings

import base64

import pytest
from django.contrib.auth import get_user_model

from tests.standalone import standalone_site

PASSWORD = "correct horse battery staple"


def basic(user_part, password, encoding="utf-8"):
    """An Authorization header value, as a feed reader sends it."""
    token = base64.b64encode(f"{user_part}:{password}".encode(encoding)).decode("ascii")
    return f"Basic {token}"


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)


@pytest.fixture(autouse=True)
def app_site(settings):
    """The app's own test site (tests/httpauth/urls.py), under the project's settings and the
    minimal ones alike."""
    standalone_site(settings, "tests.httpauth.urls")


@pytest.fixture
def hashes(settings):
    """Count password hashes (verify and the dummy hash for unknown users both encode)."""
    from tests.httpauth.hashers import CountingMD5PasswordHasher

    settings.PASSWORD_HASHERS = ["tests.httpauth.hashers.CountingMD5PasswordHasher"]
    CountingMD5PasswordHasher.calls = 0

    class Counter:
        @property
        def count(self):
            return CountingMD5PasswordHasher.calls

        def reset(self):
            CountingMD5PasswordHasher.calls = 0

    return Counter()

import pytest

from tests.support.standalone import standalone_site


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

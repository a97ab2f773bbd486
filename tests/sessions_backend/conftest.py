from collections import Counter
from importlib import import_module

import pytest

from sessions_backend import outage
from sessions_backend.signals import store_failed
from tests.support.signals import caught
from tests.support.standalone import standalone_site

CACHE_ENGINE = "sessions_backend.backends.cache"
CACHED_DB_ENGINE = "sessions_backend.backends.cached_db"


@pytest.fixture(autouse=True)
def app_site(settings):
    """The app's own test site, under the project's settings and the minimal ones alike."""
    standalone_site(settings, "tests.sessions_backend.urls")


def use_engine(settings, engine):
    settings.SESSION_ENGINE = engine
    return import_module(engine).SessionStore


@pytest.fixture(params=[CACHE_ENGINE, CACHED_DB_ENGINE], ids=["cache", "cached_db"])
def SessionStore(request, db, settings):
    """Each of this app's engines in turn, as SESSION_ENGINE."""
    return use_engine(settings, request.param)


@pytest.fixture
def CacheStore(db, settings):
    return use_engine(settings, CACHE_ENGINE)


@pytest.fixture
def CachedDBStore(db, settings):
    return use_engine(settings, CACHED_DB_ENGINE)


@pytest.fixture
def session(SessionStore):
    return SessionStore()


@pytest.fixture(autouse=True)
def store_failures(monkeypatch):
    """The test's ``store_failed`` signals, counted by operation (``store_failures["load"]``);
    no warning logged yet."""
    monkeypatch.setattr(outage, "_warning", outage.RateLimitedWarning(outage.logger, 0))
    with caught(store_failed) as sent:
        yield ByOperation(sent)


class ByOperation:
    """A live count of the signals ``sent``, by operation: ``["load"]``, or ``== {"load": 2}``."""

    def __init__(self, sent):
        self.sent = sent

    def counts(self):
        return Counter(kwargs["operation"] for kwargs in self.sent)

    def __getitem__(self, operation):
        return self.counts()[operation]

    def __eq__(self, other):
        return self.counts() == other

    def __repr__(self):
        return repr(dict(self.counts()))

"""sessions_backend's system checks: the exact run_checks() output for each mistake."""

import pytest
from django.core import checks
from django.core.checks import run_checks

OUR_MIDDLEWARE = "sessions_backend.middleware.SessionMiddleware"
DJANGO_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


@pytest.fixture
def sessions_cache(settings):
    """Replace CACHES["sessions"] with the given entry."""

    def configure(**entry):
        settings.CACHES = {**settings.CACHES, "sessions": entry}

    return configure


def test_the_projects_configuration_passes():
    assert run_checks() == []


def test_e001_alias_missing_from_caches(settings):
    settings.SESSIONS_BACKEND_CACHE_ALIAS = "sessionz"
    assert run_checks() == [
        checks.Error(
            "SESSIONS_BACKEND_CACHE_ALIAS is 'sessionz', which is not in CACHES.",
            hint="Add a CACHES['sessionz'] entry for the sessions cluster, or set "
            "SESSIONS_BACKEND_CACHE_ALIAS to the alias that has it.",
            id="sessions_backend.E001",
        )
    ]


def test_e002_pylibmc_without_cas(settings, sessions_cache):
    entry = settings.CACHES["sessions"]
    sessions_cache(**{**entry, "OPTIONS": {"binary": False, "behaviors": {"ketama": True}}})
    assert run_checks() == [
        checks.Error(
            "CACHES['sessions'] uses pylibmc without the 'cas' behavior: the session lists "
            "cannot be updated.",
            hint='Add "cas": True to CACHES[\'sessions\']["OPTIONS"]["behaviors"].',
            id="sessions_backend.E002",
        )
    ]


def test_w001_same_servers_as_the_object_cache(settings, sessions_cache):
    shared = settings.CACHES["default"]["LOCATION"][0]
    sessions_cache(**{**settings.CACHES["sessions"], "LOCATION": f"{shared};10.0.0.9:11211"})
    assert run_checks() == [
        checks.Warning(
            f"CACHES['sessions'] and CACHES['default'] share memcached servers ({shared}): "
            "flushing or filling the object cache signs people out.",
            hint="Give sessions their own memcached servers (MEMCACHED_SESSIONS).",
            id="sessions_backend.W001",
        )
    ]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_w002_per_process_caches(sessions_cache, backend):
    sessions_cache(BACKEND=backend)
    assert run_checks() == [
        checks.Warning(
            f"CACHES['sessions'] is {backend}: every process keeps its own sessions, so users "
            "are signed out at random across gunicorn workers.",
            hint="Point the sessions alias at memcached (PyLibMCCache).",
            id="sessions_backend.W002",
        )
    ]


def test_w003_another_session_engine(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert run_checks() == [
        checks.Warning(
            "SESSION_ENGINE is 'django.contrib.sessions.backends.db': sessions_backend's outage "
            "rules and session lists do not apply.",
            hint="Use one of sessions_backend.backends.cache, sessions_backend.backends.cached_db.",
            id="sessions_backend.W003",
        )
    ]


def test_w004_a_cache_that_is_not_pylibmc(sessions_cache, tmp_path):
    sessions_cache(
        BACKEND="django.core.cache.backends.filebased.FileBasedCache", LOCATION=str(tmp_path)
    )
    assert run_checks() == [
        checks.Warning(
            "CACHES['sessions'] is not PyLibMCCache: session saves and session lists fall back "
            "to read-then-write, atomic within one process only.",
            hint="Use django.core.cache.backends.memcached.PyLibMCCache.",
            id="sessions_backend.W004",
        )
    ]


def test_w005_djangos_session_middleware(settings):
    settings.MIDDLEWARE = [
        DJANGO_MIDDLEWARE if entry == OUR_MIDDLEWARE else entry for entry in settings.MIDDLEWARE
    ]
    assert run_checks() == [
        checks.Warning(
            f"MIDDLEWARE has {DJANGO_MIDDLEWARE}: when the sessions cluster is down, sign-in "
            "answers 500 instead of a 503 page.",
            hint=f"Replace it with {OUR_MIDDLEWARE}.",
            id="sessions_backend.W005",
        )
    ]

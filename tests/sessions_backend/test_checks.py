"""sessions_backend's system checks: the exact run_checks() output for each mistake."""

import pytest
from django.core import checks

from sessions_backend.checks import check_session_epoch
from tests.support.checks import run_checks as all_checks

OUR_MIDDLEWARE = "sessions_backend.middleware.SessionMiddleware"


def run_checks(**kwargs):
    """The messages ``manage.py check`` shows: SILENCED_SYSTEM_CHECKS left out, as the
    minimal project silences W006 (Django's user model has no session epoch)."""
    return [message for message in all_checks(**kwargs) if not message.is_silenced()]


DJANGO_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
PYLIBMC = "django.core.cache.backends.memcached.PyLibMCCache"


@pytest.fixture
def alias(settings):
    return settings.SESSION_CACHE_ALIAS


@pytest.fixture
def sessions_cache(settings, alias):
    """Replace the CACHES entry of SESSION_CACHE_ALIAS with the given entry."""

    def configure(**entry):
        settings.CACHES = {**settings.CACHES, alias: entry}

    return configure


def test_a_correct_configuration_passes():
    assert run_checks() == []


def test_the_checks_carry_the_apps_tag(settings):
    settings.SESSION_CACHE_ALIAS = "sessionz"
    assert [message.id for message in run_checks(tags=["sessions_backend"])] == [
        "sessions_backend.E001"
    ]
    assert run_checks(tags=["models"]) == []


def test_e001_alias_missing_from_caches(settings):
    settings.SESSION_CACHE_ALIAS = "sessionz"
    assert run_checks() == [
        checks.Error(
            "SESSION_CACHE_ALIAS is 'sessionz', which is not in CACHES.",
            hint="Add a CACHES['sessionz'] entry for the sessions cluster, or set "
            "SESSION_CACHE_ALIAS to the alias that has it.",
            id="sessions_backend.E001",
        )
    ]


@pytest.mark.pylibmc
def test_e002_pylibmc_without_cas(settings, sessions_cache, alias):
    sessions_cache(
        BACKEND=PYLIBMC,
        LOCATION=settings.CACHES[alias]["LOCATION"],
        OPTIONS={"binary": False, "behaviors": {"ketama": True}},
    )
    assert run_checks() == [
        checks.Error(
            f"CACHES[{alias!r}] uses pylibmc without the 'cas' behavior: the session lists "
            "cannot be updated.",
            hint=f'Add "cas": True to CACHES[{alias!r}]["OPTIONS"]["behaviors"].',
            id="sessions_backend.E002",
        )
    ]


@pytest.mark.parametrize("name", ["LAST_SEEN_INTERVAL", "WARNING_INTERVAL"])
@pytest.mark.parametrize("value", [-1, "300", 1.5, True])
def test_e003_intervals_are_whole_seconds(settings, name, value):
    setattr(settings, f"SESSIONS_BACKEND_{name}", value)
    default = {"LAST_SEEN_INTERVAL": 300, "WARNING_INTERVAL": 60}[name]
    assert run_checks() == [
        checks.Error(
            f"SESSIONS_BACKEND_{name} is {value!r}; it must be a whole number of seconds >= 0.",
            hint=f"The default, {default}, suits most sites.",
            id="sessions_backend.E003",
        )
    ]


@pytest.mark.parametrize("value", [0, "100", 2.5, None])
def test_e004_max_sessions_is_a_whole_number_from_one(settings, value):
    settings.SESSIONS_BACKEND_MAX_SESSIONS = value
    assert run_checks() == [
        checks.Error(
            f"SESSIONS_BACKEND_MAX_SESSIONS is {value!r}; it must be a whole number >= 1.",
            hint="The default, 100, suits most sites.",
            id="sessions_backend.E004",
        )
    ]


def test_w001_same_servers_as_the_object_cache(settings, sessions_cache, alias):
    shared = settings.CACHES["default"]["LOCATION"][0]
    sessions_cache(**{**settings.CACHES[alias], "LOCATION": f"{shared};10.0.0.9:11211"})
    assert run_checks() == [
        checks.Warning(
            f"CACHES[{alias!r}] and CACHES['default'] share memcached servers ({shared}): "
            "flushing or filling the object cache signs people out.",
            hint=f"Give CACHES[{alias!r}] a LOCATION of memcached servers of its own.",
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
def test_w002_per_process_caches(sessions_cache, alias, backend):
    sessions_cache(BACKEND=backend)
    assert run_checks() == [
        checks.Warning(
            f"CACHES[{alias!r}] is {backend}: every process keeps its own sessions, so users "
            "are signed out at random across gunicorn workers.",
            hint=f"Point CACHES[{alias!r}] at memcached: "
            "sessions_backend.clients.FailFastPyLibMCCache.",
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


def test_w004_a_cache_that_is_not_memcached(sessions_cache, alias, tmp_path):
    sessions_cache(
        BACKEND="django.core.cache.backends.filebased.FileBasedCache", LOCATION=str(tmp_path)
    )
    assert run_checks() == [
        checks.Warning(
            f"CACHES[{alias!r}] is not memcached: session saves and session lists fall back "
            "to read-then-write, atomic within one process only.",
            hint="Use sessions_backend.clients.FailFastPyLibMCCache or "
            "sessions_backend.clients.StrictPyMemcacheCache.",
            id="sessions_backend.W004",
        )
    ]


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(PYLIBMC, marks=pytest.mark.pylibmc),
        "sessions_backend.clients.StrictPyMemcacheCache",
    ],
)
def test_either_client_passes(settings, sessions_cache, alias, backend):
    options = {"behaviors": {"cas": True}} if backend == PYLIBMC else {}
    sessions_cache(BACKEND=backend, LOCATION=settings.CACHES[alias]["LOCATION"], OPTIONS=options)
    assert run_checks() == []


def test_e006_a_hasher_that_cannot_be_imported(settings, sessions_cache, alias):
    sessions_cache(
        BACKEND="sessions_backend.clients.StrictPyMemcacheCache",
        LOCATION=settings.CACHES[alias]["LOCATION"],
        OPTIONS={"hasher": "sessions_backend.ring.LibmemcachedKetamma"},
    )
    assert run_checks() == [
        checks.Error(
            f"CACHES[{alias!r}]['OPTIONS']['hasher'] is "
            "'sessions_backend.ring.LibmemcachedKetamma', which cannot be imported: Module "
            '"sessions_backend.ring" does not define a "LibmemcachedKetamma" attribute/class',
            hint="Name a pymemcache hasher by its dotted path: "
            "sessions_backend.ring.LibmemcachedKetama places keys as pylibmc does.",
            id="sessions_backend.E006",
        )
    ]


def test_a_hasher_by_dotted_path_places_keys_on_the_ring(settings, sessions_cache, alias):
    from django.core.cache import caches

    from sessions_backend.ring import LibmemcachedKetama

    sessions_cache(
        BACKEND="sessions_backend.clients.StrictPyMemcacheCache",
        LOCATION=settings.CACHES[alias]["LOCATION"],
        OPTIONS={"hasher": "sessions_backend.ring.LibmemcachedKetama"},
    )
    assert run_checks() == []
    assert isinstance(caches[alias]._cache.hasher, LibmemcachedKetama)


def test_w007_pymemcaches_hash_client_as_it_comes(settings, sessions_cache, alias):
    sessions_cache(
        BACKEND="django.core.cache.backends.memcached.PyMemcacheCache",
        LOCATION=settings.CACHES[alias]["LOCATION"],
    )
    assert run_checks() == [
        checks.Warning(
            f"CACHES[{alias!r}] uses pymemcache's HashClient as it comes: for retry_timeout "
            "seconds after a node fails its sessions read as missing and saves are dropped "
            "unreported; then the node's keys move to the others, and when it returns its "
            "stale copies can bring ended sessions back.",
            hint="Use sessions_backend.clients.StrictPyMemcacheCache: each failure raised, "
            "each key kept on its node.",
            id="sessions_backend.W007",
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


def test_w006_a_user_model_without_a_session_epoch(settings):
    settings.AUTH_USER_MODEL = "auth.User"
    assert check_session_epoch(None) == [
        checks.Warning(
            "auth.User has no session epoch: “sign out everywhere” ends only the sessions in "
            "the user's list, which a restart of the sessions node that holds it empties.",
            hint="Add sessions_backend.models.SessionEpochMixin to your user model's bases, "
            "before AbstractUser, and make its migration.",
            id="sessions_backend.W006",
        )
    ]

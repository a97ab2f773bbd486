"""Fixtures shared by the whole suite.

The suite starts two real memcached daemons of its own (objects and sessions) on free
loopback ports and points ``CACHES`` at them for every test: "default" at the objects
daemon, ``SESSION_CACHE_ALIAS`` at the sessions daemon; each test starts from empty caches.
Tests that stop a daemon start one of their own (``memcached`` factory).

The same fixtures serve the minimal settings that sessions_backend's and httpauth's tests
also run under (tests/support/standalone.py).

Tests marked ``pylibmc`` need it. Where pyproject.toml does not install it (Python 3.14 and
later), they are deselected, never skipped or counted as passed, and the summary says so; on
any other Python a missing pylibmc fails them.
"""

import fcntl

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test.utils import override_settings

from sessions_backend.nodes import NODES
from tests.support.caches import use_daemon
from tests.support.clients import pylibmc_is_a_dependency_here
from tests.support.daemons import Memcached
from tests.support.users import make_user


def pytest_collection_modifyitems(config, items):
    if pylibmc_is_a_dependency_here():
        return
    needing = [item for item in items if item.get_closest_marker("pylibmc")]
    if needing:
        items[:] = [item for item in items if not item.get_closest_marker("pylibmc")]
        config.hook.pytest_deselected(items=needing)


def pytest_terminal_summary(terminalreporter, config):
    if not pylibmc_is_a_dependency_here():
        terminalreporter.write_line(
            "pyproject.toml does not install pylibmc on this Python: the tests that need it "
            "(marked pylibmc) are deselected, and the suite runs on pymemcache."
        )


@pytest.fixture(scope="session")
def memcached_objects():
    with Memcached() as daemon:
        yield daemon


@pytest.fixture(scope="session")
def memcached_sessions():
    with Memcached() as daemon:
        yield daemon


@pytest.fixture(scope="session", autouse=True)
def test_caches(memcached_objects, memcached_sessions):
    """Point the memcached aliases at the suite's own daemons, keeping every other option."""
    daemons = {settings.SESSION_CACHE_ALIAS: memcached_sessions, "default": memcached_objects}
    overridden = {
        alias: {**config, "LOCATION": [daemons[alias].address]} if alias in daemons else config
        for alias, config in settings.CACHES.items()
    }
    with override_settings(CACHES=overridden):
        yield overridden


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hash test passwords with MD5: PBKDF2's million iterations cost ~0.25 s per sign-in.

    PBKDF2 stays accepted (and is upgraded from) for tests that need a real hash; gunicorn
    tests run the project's own settings.
    """
    hashers = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(autouse=True)
def no_skipped_nodes():
    """Each test starts with every memcached node trusted: the process's record of nodes
    that failed (sessions_backend.nodes) would otherwise carry one test's outage into the
    next, on a port a new daemon may reuse."""
    NODES.skipped.clear()
    NODES.late.clear()
    NODES.probing.clear()


@pytest.fixture(autouse=True)
def empty_caches(test_caches):
    for alias in test_caches:
        caches[alias].clear()


@pytest.fixture(scope="session", autouse=True)
def collected_static(testrun_uid):
    """Collect static files as a deployment does: the manifest storage needs them.

    Once per run: under ``make test``'s two workers (pytest-xdist) the first to get the lock
    collects, and the other finds the run's mark and leaves the files its sites may be serving.
    """
    root = getattr(settings, "STATIC_ROOT", None)
    if not root:  # minimal settings serve none
        return
    root.mkdir(exist_ok=True)
    with open(root / ".collecting", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        mark = root / ".collected"
        if not mark.exists() or mark.read_text() != testrun_uid:
            call_command("collectstatic", interactive=False, verbosity=0)
            mark.write_text(testrun_uid)


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    """Staff, without any permission: a test gives bob the ones it is about."""
    return make_user("bob", is_staff=True, first_name="Bob", last_name="Staff")


@pytest.fixture
def memcached():
    """Start memcached daemons a test may stop and restart; all are stopped afterwards."""
    started = []

    def start(*args, **kwargs):
        daemon = Memcached(*args, **kwargs).start()
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.stop()


@pytest.fixture
def stop_cluster(memcached, settings):
    """Point a cache alias at a memcached that has stopped, until the test ends.

    ``address = stop_cluster("default")`` returns the dead node's ``host:port``.
    """

    def stop(alias):
        daemon = memcached()
        daemon.stop()
        use_daemon(settings, alias, daemon)
        return daemon.address

    return stop

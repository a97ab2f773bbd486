"""A session signed out stays signed out, in every order of a concurrent request's steps.

The owner ends a session (one session from the list, logout, or a sign-in past the cap)
while a request with that session's cookie (a thief's poll) loads it and maybe saves it.
Every order of the two operations' steps on the session (its copy in the cluster, its row)
is driven by tests/support/interleavings.py, for both engines, with the session's copy in the
cluster at the start or not (a restarted node: a load refills it). After each run the session
must be gone for good: no row, no live copy in the cluster, no load that finds it. On the
engine of 2026-12-04 (Django's order: delete the copy, then the row; refill with set) every
cached_db case here failed.

Two saves of one session are driven the same way: the copy must end as the row says.
"""

from dataclasses import dataclass
from math import comb

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import RequestFactory

from sessions_backend import user_sessions
from sessions_backend.backends.cache import KEY_PREFIX as CACHE_PREFIX
from sessions_backend.cluster import sessions_cluster
from tests.sessions_backend.conftest import CACHE_ENGINE, CACHED_DB_ENGINE, use_engine
from tests.support.interleavings import every_interleaving
from tests.support.users import make_user

pytestmark = pytest.mark.django_db(transaction=True)  # each worker has its own connection
AGE = 3600


@dataclass
class Run:
    key: str  # the session the owner ends and the thief holds
    newer: str | None  # the owner's next sign-in elsewhere (the cap eviction)


@pytest.fixture
def owner(transactional_db):
    return make_user("owner")


def on_the_session(label):
    """The steps scheduled: those on a session's copy (both engines' keys begin with
    Django's cache engine's prefix) or row, not those on the user's list."""
    return CACHE_PREFIX in label or Session._meta.db_table in label


def cluster_copy(SessionStore, key):
    return caches[settings.SESSION_CACHE_ALIAS].get(SessionStore.cache_key_prefix + key)


def signed_in(SessionStore, owner, **data):
    store = SessionStore()
    store.update({SESSION_KEY: str(owner.pk), **data})
    store.save()
    return store.session_key


def setup_for(SessionStore, owner, *, copy_cached, listed=True, newer=False):
    """Each run's start: the session (entered in its owner's list), its copy in the cluster
    or not, and with ``newer`` the owner's next sign-in elsewhere."""

    def setup():
        key = signed_in(SessionStore, owner, visits=0)
        if listed:
            user_sessions.add(owner.pk, key, AGE, None)
        if not copy_cached:  # as after a restart of its node: the next load refills it
            caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + key)
        return Run(key, signed_in(SessionStore, owner) if newer else None)

    return setup


# The owner's ways of ending the session.


def sign_out_from_the_list(SessionStore, owner):
    return lambda run: lambda: user_sessions.sign_out(owner.pk, run.key)


def log_out(SessionStore, owner):
    def make(run):
        def operation():
            request = RequestFactory().post("/accounts/logout/")
            request.session, request.user = SessionStore(run.key), owner
            assert request.session[SESSION_KEY] == str(owner.pk)  # the request's own load
            logout(request)

        return operation

    return make


def sign_in_past_the_cap(SessionStore, owner):
    # SESSIONS_BACKEND_MAX_SESSIONS is 1: entering the newer session evicts the older one.
    return lambda run: lambda: user_sessions.add(owner.pk, run.newer, AGE, None)


# The thief's request.


def load_and_save(SessionStore, owner):
    def make(run):
        def operation():
            store = SessionStore(run.key)
            if store.get(SESSION_KEY) is None:
                return "signed out"
            store["visits"] += 1
            try:
                store.save()  # what the middleware does with a modified session
            except UpdateError:
                return "save refused"
            return "saved"

        return operation

    return make


def load_only(SessionStore, owner):
    return lambda run: lambda: SessionStore(run.key).get(SESSION_KEY)


def assert_ended(SessionStore, run, results, order):
    for name, result in results.items():
        if isinstance(result, BaseException):
            raise AssertionError(f"{name} raised {result!r} in {order}") from result
    copy = cluster_copy(SessionStore, run.key)
    assert copy is None or SESSION_KEY not in copy, f"a signed-in copy came back: {order}"
    assert not Session.objects.filter(session_key=run.key).exists(), order
    assert SessionStore().exists(run.key) is False, order
    assert SessionStore(run.key).get(SESSION_KEY) is None, order


ENDINGS = [sign_out_from_the_list, log_out, sign_in_past_the_cap]
REQUESTS = [load_and_save, load_only]
# Where the session is when the two begin: the cache engine keeps it only in the cluster;
# cached_db with its copy there, or without (a restarted node: the next load refills it).
STARTS = {
    "cache": (CACHE_ENGINE, True),
    "cached_db-cached": (CACHED_DB_ENGINE, True),
    "cached_db-refilled": (CACHED_DB_ENGINE, False),
}


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("request_", REQUESTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("ending", ENDINGS, ids=lambda f: f.__name__)
def test_no_order_of_a_concurrent_request_brings_an_ended_session_back(
    ending, request_, start, owner, settings
):
    engine, copy_cached = STARTS[start]
    SessionStore = use_engine(settings, engine)
    settings.SESSIONS_BACKEND_MAX_SESSIONS = 1  # a sign-in elsewhere evicts the session
    runs = every_interleaving(
        {"owner": ending(SessionStore, owner), "thief": request_(SessionStore, owner)},
        setup=setup_for(
            SessionStore, owner, copy_cached=copy_cached, newer=ending is sign_in_past_the_cap
        ),
        check=lambda run, results, order: assert_ended(SessionStore, run, results, order),
        steps=on_the_session,
    )
    assert runs > 1


@pytest.mark.parametrize("copy_cached", [True, False], ids=["cached", "refilled"])
def test_two_saves_of_one_session_leave_the_copy_as_the_row_says(copy_cached, owner, settings):
    SessionStore = use_engine(settings, CACHED_DB_ENGINE)

    def saving(field):
        def make(run):
            def operation():
                store = SessionStore(run.key)
                store[field] = 1
                store.save()

            return operation

        return make

    def check(run, results, order):
        for name, result in results.items():
            if isinstance(result, BaseException):
                raise AssertionError(f"{name} raised {result!r} in {order}") from result
        row = Session.objects.get(session_key=run.key).get_decoded()
        assert cluster_copy(SessionStore, run.key) in (None, row), order

    runs = every_interleaving(
        {"first": saving("a"), "second": saving("b")},
        setup=setup_for(SessionStore, owner, copy_cached=copy_cached, listed=False),
        check=check,
        steps=on_the_session,
    )
    assert runs > 1


def test_the_harness_takes_every_order_of_steps_that_see_each_other(memcached_sessions):
    """Two operations of 2 and 3 writes of one key: C(5, 2) orders, all different."""
    orders = []

    def writes(count, name):
        return lambda run: lambda: [sessions_cluster().set("k", name, 60) for _ in range(count)]

    runs = every_interleaving(
        {"a": writes(2, "a"), "b": writes(3, "b")},
        setup=caches[settings.SESSION_CACHE_ALIAS].clear,
        check=lambda run, results, order: orders.append(order),
        steps=lambda label: True,
    )
    assert runs == comb(5, 2) == len(set(orders))
    assert all(order.count("a: set") == 2 and order.count("b: set") == 3 for order in orders)


def test_the_harness_takes_steps_that_cannot_see_each_other_in_one_order(memcached_sessions):
    """Reads, and writes of different keys, commute: every order of them is the same run."""
    orders = []

    def steps(*calls):
        cluster = sessions_cluster

        def make(run):
            return lambda: [getattr(cluster(), call)(*args) for call, *args in calls]

        return make

    runs = every_interleaving(
        {
            "a": steps(("set", "a", 1, 60), ("get", "shared")),
            "b": steps(("get", "shared"), ("set", "b", 1, 60), ("get", "shared")),
        },
        setup=caches[settings.SESSION_CACHE_ALIAS].clear,
        check=lambda run, results, order: orders.append(order),
        steps=lambda label: True,
    )
    assert runs == 1
    assert orders == [
        "a: set sessions:1:a → a: get sessions:1:shared → b: get sessions:1:shared"
        " → b: set sessions:1:b → b: get sessions:1:shared"
    ]

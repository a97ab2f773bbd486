"""Fill the object cache four times over: sessions in their own cluster are untouched; in a
shared memcached they are evicted — the 2008 post's problem, shown."""

import pytest
from django.core.cache import caches

from ops.memcached import node_stats
from sessions_backend.backends.cache import SessionStore

pytestmark = pytest.mark.slow  # a drill: servers under load, seconds each

MEMORY_MB = 8
SESSIONS = 300
# Objects of every small size, as a site caches them: memcached evicts within a slab class
# (items of similar size), so objects of a session's size are the ones that compete.
OBJECT_SIZES = range(16, 512, 8)  # bytes
BATCH = 500


def cluster(settings, alias, daemon):
    entry = {**settings.CACHES[alias], "LOCATION": [daemon.address]}
    settings.CACHES = {**settings.CACHES, alias: entry}


def sign_in_many():
    keys = []
    for n in range(SESSIONS):
        store = SessionStore()
        store["_auth_user_id"] = str(n)
        store.save()
        keys.append(store.session_key)
    return keys


def flood_objects():
    """Write four times the cluster's memory in objects; return how many."""
    average = sum(OBJECT_SIZES) / len(OBJECT_SIZES)
    writes = int(4 * MEMORY_MB * 1024 * 1024 // average)
    for start in range(0, writes, BATCH):
        batch = {
            f"object-{n}": "x" * OBJECT_SIZES[n % len(OBJECT_SIZES)]
            for n in range(start, min(start + BATCH, writes))
        }
        caches["default"].set_many(batch, None)
    return writes


def surviving(keys):
    return sum(SessionStore(key).get("_auth_user_id") is not None for key in keys)


@pytest.mark.django_db
def test_separate_clusters_keep_every_session(memcached, settings, figures):
    objects, sessions = memcached(MEMORY_MB), memcached(MEMORY_MB)
    cluster(settings, "default", objects)
    cluster(settings, "sessions", sessions)
    keys = sign_in_many()
    writes = flood_objects()
    kept = surviving(keys)
    figures(
        f"{writes} objects of 16-512 B (4 x {MEMORY_MB} MB) into a {MEMORY_MB} MB objects cluster",
        f"objects evicted: {node_stats(objects.address)['evictions']}",
        f"sessions kept: {kept} of {SESSIONS}; "
        f"sessions evicted: {node_stats(sessions.address)['evictions']}",
    )
    assert node_stats(objects.address)["evictions"] > 0
    assert node_stats(sessions.address)["evictions"] == 0
    assert kept == SESSIONS


@pytest.mark.django_db
def test_one_shared_memcached_loses_sessions(memcached, settings, figures):
    shared = memcached(MEMORY_MB)
    cluster(settings, "default", shared)
    cluster(settings, "sessions", shared)
    keys = sign_in_many()
    writes = flood_objects()
    kept = surviving(keys)
    figures(
        f"the same {writes} objects into ONE shared {MEMORY_MB} MB memcached",
        f"evictions: {node_stats(shared.address)['evictions']}; "
        f"sessions kept: {kept} of {SESSIONS} ({SESSIONS - kept} users signed out)",
    )
    assert kept < SESSIONS

"""sessions_backend.backends.cached_db: the database keeps sessions through cluster outages."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as DjangoCachedDBStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from sessions_backend.backends.cached_db import KEY_PREFIX, TOMBSTONE
from sessions_backend.outage import SessionStoreUnavailable
from tests.support.caches import use_daemon


@pytest.fixture
def cluster(memcached, settings):
    """A sessions memcached of the test's own, which it may stop and restart."""
    daemon = memcached()
    use_daemon(settings, settings.SESSION_CACHE_ALIAS, daemon)
    return daemon


def signed_in(CachedDBStore, user_id="1"):
    store = CachedDBStore()
    store["_auth_user_id"] = user_id
    store.save()
    return store.session_key


def test_reads_come_from_the_cache_without_a_query(CachedDBStore, django_assert_num_queries):
    key = signed_in(CachedDBStore)
    with django_assert_num_queries(0):
        assert CachedDBStore(key)["_auth_user_id"] == "1"
        assert CachedDBStore().exists(key) is True


def test_a_cache_miss_reads_the_database_and_refills(CachedDBStore, memcached_sessions):
    key = signed_in(CachedDBStore)
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert CachedDBStore(key)["_auth_user_id"] == "1"
    assert memcached_sessions.holds(caches[settings.SESSION_CACHE_ALIAS].make_key(KEY_PREFIX + key))


def test_restarting_the_sessions_cluster_signs_nobody_out(CachedDBStore, cluster):
    keys = [signed_in(CachedDBStore, str(n)) for n in range(10)]
    cluster.stop()
    cluster.start()  # empty, as after any memcached restart
    assert [CachedDBStore(key)["_auth_user_id"] for key in keys] == [str(n) for n in range(10)]


def test_while_the_cluster_is_down_the_database_answers(CachedDBStore, cluster, store_failures):
    key = signed_in(CachedDBStore)
    cluster.stop()
    store = CachedDBStore(key)
    assert store["_auth_user_id"] == "1"
    store["more"] = 2
    store.save()
    assert Session.objects.get(session_key=key).get_decoded()["more"] == 2
    assert CachedDBStore().exists(key) is True
    # One warning per store, not one per operation: the first failure stands for the rest.
    assert store_failures == {"load": 2}


def test_sign_in_works_while_the_cluster_is_down(CachedDBStore, cluster):
    anonymous = CachedDBStore()
    anonymous["cart"] = ["book"]
    anonymous.save()
    old_key = anonymous.session_key
    cluster.stop()
    anonymous.cycle_key()  # what login() does
    anonymous["_auth_user_id"] = "1"
    anonymous.save()
    assert CachedDBStore(anonymous.session_key)["_auth_user_id"] == "1"
    assert not Session.objects.filter(session_key=old_key).exists()


def test_sign_out_refuses_while_the_cluster_is_down_and_keeps_the_row(CachedDBStore, cluster):
    # Deleting only the row would leave a cached copy that signs the user back in later.
    key = signed_in(CachedDBStore)
    cluster.stop()
    with pytest.raises(SessionStoreUnavailable):
        CachedDBStore(key).flush()
    assert Session.objects.filter(session_key=key).exists()


def in_an_hour():
    return timezone.now() + timedelta(hours=1)


def test_uses_djangos_cached_db_keys():
    assert KEY_PREFIX == "django.contrib.sessions.cached_db"


def test_a_signed_out_session_leaves_a_tombstone_read_as_no_session(CachedDBStore):
    key = signed_in(CachedDBStore)
    CachedDBStore(key).flush()
    cache = caches[settings.SESSION_CACHE_ALIAS]
    assert cache.get(KEY_PREFIX + key) == TOMBSTONE
    assert CachedDBStore().exists(key) is False
    assert CachedDBStore(key).load() == {}
    # Even with the row back (as between the tombstone and the row's deletion), it stays out.
    data = CachedDBStore().encode({"_auth_user_id": "1"})
    Session.objects.create(session_key=key, session_data=data, expire_date=in_an_hour())
    assert CachedDBStore(key).load() == {}
    assert CachedDBStore().exists(key) is False
    assert cache.get(KEY_PREFIX + key) == TOMBSTONE


def test_djangos_own_engine_reads_a_tombstone_as_a_signed_out_session(CachedDBStore):
    # Switching SESSION_ENGINE back to Django's signs nobody back in and breaks nothing.
    key = signed_in(CachedDBStore)
    CachedDBStore(key).flush()
    assert DjangoCachedDBStore(key).get("_auth_user_id") is None

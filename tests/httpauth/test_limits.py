"""httpauth.limits: counters in the database, each in its window (SECURITY.md, finding 6)."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from httpauth import limits
from httpauth.models import LimitCounter

pytestmark = pytest.mark.django_db


def test_counts_add_up_within_the_window():
    assert limits.current("k") == (0, None)
    assert limits.count("k", 60) == (1, 60)
    assert limits.count("k", 60)[0] == 2
    count, seconds_left = limits.current("k")
    assert count == 2
    assert 58 <= seconds_left <= 60


def test_each_key_counts_alone():
    limits.count("a", 60)
    assert limits.current("b") == (0, None)


def test_a_window_that_ended_starts_again_and_ended_windows_are_forgotten(monkeypatch):
    limits.count("k", 60)
    limits.count("other", 60)
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert limits.current("k") == (0, None)
    assert limits.count("k", 60) == (1, 60)
    assert list(LimitCounter.objects.values_list("key", flat=True)) == ["k"]


def test_a_cache_flush_leaves_the_counts():
    limits.count("k", 60)
    for cache in caches.all():
        cache.clear()
    assert limits.current("k")[0] == 1


def test_a_key_longer_than_the_column_is_stored_as_its_digest():
    long_key = "httpauth.failures." + "x" * 300
    assert limits.count(long_key, 60)[0] == 1
    assert limits.current(long_key)[0] == 1
    [stored] = LimitCounter.objects.values_list("key", flat=True)
    assert stored.startswith("sha256.")


def test_a_window_deleted_between_its_count_and_the_read_back_counts_in_a_new_one():
    """SECURITY.md, third review (its notes): right at a window's end, a request whose clock had
    passed it deleted the row between another's UPDATE and its read back: DoesNotExist, a
    500. The deletion is made to land there, as that concurrent request's."""
    from django.db import connection

    limits.count("k", 60)
    deleted = []

    def delete_after_the_update(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("UPDATE") and not deleted:
            deleted.append(LimitCounter.objects.filter(key="k").delete())
        return result

    with connection.execute_wrapper(delete_after_the_update):
        assert limits.count("k", 60) == (1, 60)  # counted in a window of its own
    assert deleted == [(1, {"httpauth.LimitCounter": 1})]
    assert limits.current("k")[0] == 1

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.management import CommandError, call_command

from sessions_backend import user_sessions


def run():
    out = StringIO()
    call_command("import_sessions", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def db_sessions(db):
    """Two live sessions (one signed in) and one expired, in Django's db engine."""
    signed_in = DBStore()
    signed_in.update({"_auth_user_id": "7", "cart": ["book"]})
    signed_in.set_expiry(3600)
    signed_in.save()
    anonymous = DBStore()
    anonymous["cart"] = []
    anonymous.save()
    expired = DBStore()
    expired["old"] = True
    expired.set_expiry(-timedelta(seconds=10))
    expired.save()
    return signed_in.session_key, anonymous.session_key, expired.session_key


def test_copies_live_sessions_with_their_data_and_lifetime(CacheStore, db_sessions):
    signed_in, anonymous, expired = db_sessions
    assert run() == "Imported 2 sessions; 0 were already in the cluster; 1 expired ones skipped."
    moved = CacheStore(signed_in)
    assert dict(moved.items()) == {"_auth_user_id": "7", "cart": ["book"], "_session_expiry": 3600}
    assert CacheStore(anonymous)["cart"] == []
    assert CacheStore().exists(expired) is False
    assert [entry["key"] for entry in user_sessions.prune_and_list(7)] == [signed_in]
    assert (
        3590
        <= user_sessions.prune_and_list(7)[0]["expires"]
        - user_sessions.prune_and_list(7)[0]["created"]
        <= 3600
    )


def test_running_twice_changes_nothing(CacheStore, db_sessions):
    run()
    session = CacheStore(db_sessions[0])
    session["cart"] = ["book", "pen"]
    session.save()  # changed in the cluster since the first import
    assert run() == "Imported 0 sessions; 2 were already in the cluster; 1 expired ones skipped."
    assert CacheStore(db_sessions[0])["cart"] == ["book", "pen"]


def test_nothing_to_do_under_cached_db(CachedDBStore, db_sessions):
    assert run() == ("SESSION_ENGINE is cached_db, which reads the database: nothing to import.")


def test_stops_clearly_when_the_cluster_is_down(CacheStore, db_sessions, stop_cluster):
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    with pytest.raises(CommandError, match=r"^The sessions cluster is unavailable"):
        run()

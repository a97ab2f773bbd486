"""Stop the sessions memcached for 6 s under load, with each engine."""

import threading
from collections import Counter

import pytest

from tests.served.drills.load import Load, signed_in_client, wait
from tests.support.daemons import Memcached
from tests.support.sites import DEMO_PASSWORD, start_site

pytestmark = pytest.mark.slow  # a drill: servers under load, seconds each

CLIENTS = 6
# Three of libmemcached's retry windows (retry_timeout, 2 s): every client meets the outage,
# and the node's return, more than once.
OUTAGE_SECONDS = 6


@pytest.fixture
def daemons():
    objects, sessions = Memcached().start(), Memcached().start()
    yield objects, sessions
    objects.stop()
    sessions.stop()


def sign_in_attempts(site, stop, statuses):
    """Sign-ins in a loop (a fresh browser each time), counting how they are answered."""
    while not stop.is_set():
        _browser, response = site.sign_in("bob", DEMO_PASSWORD)
        statuses[response.status_code] += 1
        wait(0.2)


def drill(site, sessions_daemon):
    clients = [signed_in_client(site) for _ in range(CLIENTS)]
    sign_ins, stop = Counter(), threading.Event()
    signer = threading.Thread(target=sign_in_attempts, args=(site, stop, sign_ins))
    with Load(site.url, clients) as during:
        signer.start()
        wait(1)
        sessions_daemon.stop()
        wait(OUTAGE_SECONDS)
        stop.set()
        signer.join()
        outage_sign_ins = Counter(sign_ins)
        sessions_daemon.start()
        wait(2)
    return during, outage_sign_ins


def test_cache_engine_answers_no_5xx_and_refuses_sign_in_with_503(
    daemons, tmp_path, collected_static, figures
):
    objects, sessions = daemons
    site = start_site(tmp_path, objects, sessions)
    try:
        load, sign_ins = drill(site, sessions)
    finally:
        site.stop()
    figures(
        f"sessions memcached stopped {OUTAGE_SECONDS} s under load, cache engine",
        load.summary(),
        f"sign-in attempts during the outage: {dict(sign_ins)}",
    )
    assert load.server_errors == 0
    assert load.errors == []
    assert sign_ins[503] > 0
    assert set(sign_ins) <= {302, 503}  # 503 while down; 302 (signed in) around it
    assert load.signed_out > 0  # anonymous while the cluster is away, as documented


def test_cached_db_engine_signs_nobody_out(daemons, tmp_path, collected_static, figures):
    objects, sessions = daemons
    site = start_site(
        tmp_path, objects, sessions, DJANGO_SESSION_ENGINE="sessions_backend.backends.cached_db"
    )
    try:
        clients = [signed_in_client(site) for _ in range(CLIENTS)]
        with Load(site.url, clients) as load:
            wait(1)
            sessions.stop()
            wait(OUTAGE_SECONDS)
            sessions.start()
            wait(2)
    finally:
        site.stop()
    figures(f"sessions memcached stopped {OUTAGE_SECONDS} s under load, cached_db", load.summary())
    assert load.requests > 100
    assert load.server_errors == 0
    assert load.errors == []
    assert load.signed_out == 0

"""A session signed out while a thief polls with its cookie stays signed out (cached_db).

The live race of SECURITY.md, third review, #1: the owner ends one of their
sessions from the list while three threads poll a page with that session's cookie. Before
the fix, a poll that read the row just before it was deleted put the session back in the
cluster (3 of 20 sign-outs). tests/sessions_backend/test_interleavings.py drives every
order of the steps; this drill races real requests against gunicorn.
"""

import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
import requests

from sessions_backend.user_sessions import entry_id
from tests.served.drills.load import signed_in_client
from tests.support.daemons import Memcached
from tests.support.sites import start_site

pytestmark = pytest.mark.slow  # a drill: gunicorn, 20 sign-outs under polling

TRIALS = 20
POLLERS = 3
POLL_SECONDS = 0.1  # before the sign-out, and again after it (about 30 polls each way)


@pytest.fixture
def site(tmp_path, collected_static):
    objects, sessions = Memcached().start(), Memcached().start()
    server = start_site(
        tmp_path, objects, sessions, DJANGO_SESSION_ENGINE="sessions_backend.backends.cached_db"
    )
    yield server
    server.stop()
    objects.stop()
    sessions.stop()


def rows_of(site, session_key):
    with closing(sqlite3.connect(site.env["DATABASE_URL"].removeprefix("sqlite:///"))) as db:
        query = "SELECT count(*) FROM django_session WHERE session_key = ?"
        return db.execute(query, (session_key,)).fetchone()[0]


def poll(site, cookie, stop, statuses, errors):
    thief = requests.Session()
    thief.cookies.set("sessionid", cookie)
    while not stop.is_set():
        try:
            response = thief.get(site.url + "/account/", allow_redirects=False, timeout=10)
        except requests.RequestException as exc:  # a fault, counted: never a silent thread
            errors.append(repr(exc))
            continue
        statuses[response.status_code] += 1
        thief.cookies.set("sessionid", cookie)  # the stolen cookie, whatever it was told


def test_a_session_signed_out_under_polling_never_comes_back(site, figures):
    owner = signed_in_client(site)
    # The sessions to steal, signed in up front and side by side: each sign-in is a slow hash.
    with ThreadPoolExecutor(max_workers=4) as pool:
        cookies = list(
            pool.map(lambda _: signed_in_client(site).cookies["sessionid"], range(TRIALS))
        )
    survivors, polls, errors = [], Counter(), []
    for trial, stolen in enumerate(cookies):
        stop = threading.Event()
        pollers = [
            threading.Thread(target=poll, args=(site, stolen, stop, polls, errors))
            for _ in range(POLLERS)
        ]
        for thread in pollers:
            thread.start()
        time.sleep(POLL_SECONDS)
        signed_out = owner.post(
            f"{site.url}/account/sessions/{entry_id(stolen)}/sign-out/",
            data={"csrfmiddlewaretoken": owner.cookies["csrftoken"]},
            headers={"Referer": f"{site.url}/account/sessions/"},
            allow_redirects=False,
            timeout=10,
        )
        assert (signed_out.status_code, signed_out.headers["Location"]) == (
            302,
            "/account/sessions/",
        )
        time.sleep(POLL_SECONDS)
        stop.set()
        for thread in pollers:
            thread.join()
        after = requests.get(
            site.url + "/account/", cookies={"sessionid": stolen}, allow_redirects=False, timeout=10
        )
        if after.status_code != 302 or rows_of(site, stolen):
            survivors.append((trial, after.status_code, rows_of(site, stolen)))
    figures(
        f"{TRIALS} sign-outs of a session polled by {POLLERS} threads (cached_db)",
        f"polls: {dict(polls)}; errors: {len(errors)}; sessions that came back: {survivors}",
    )
    assert errors == []
    assert polls[200] >= TRIALS  # the stolen session did work until its sign-out
    assert survivors == []

"""The site as deployed, for the tests that serve it (tests/served/, its drills included):
gunicorn with gunicorn.conf.py, the real settings from the environment, the demo data, on
memcached daemons the test gives it."""

import atexit
import functools
import http.client
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import requests

from tests.support.daemons import Gunicorn

#: The demo users' password on the gunicorn-served sites of the tests.
DEMO_PASSWORD = "demo-password-for-gunicorn-tests"
SITE_SECRET_KEY = "gunicorn-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH"


def get(site, path, **kwargs):
    """One request to ``site``, redirects not followed."""
    return requests.get(site.url + path, timeout=10, allow_redirects=False, **kwargs)


def start_site(directory, objects, sessions, **env):
    """Start the site under gunicorn on ``objects`` and ``sessions`` (Memcached daemons or
    lists of them), with a SQLite database in ``directory``: a fresh copy of the demo database
    unless one is there already."""
    env = site_env(directory, objects, sessions, **env)
    server = Gunicorn(env=env, log_path=directory / "gunicorn.log")
    database = directory / "db.sqlite3"
    if not database.exists():
        copy_database(demo_database(), database)
    return server.start()


def copy_database(source_path, target_path):
    """Copy a SQLite database with SQLite's backup API, safe in WAL mode."""
    with (
        closing(sqlite3.connect(source_path)) as source,
        closing(sqlite3.connect(target_path)) as target,
    ):
        source.backup(target)


def site_env(directory, objects=(), sessions=(), **env):
    """The environment of a site on the daemons given (none: the settings' defaults)."""
    return {
        "DJANGO_SECRET_KEY": SITE_SECRET_KEY,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "MEMCACHED_OBJECTS": ",".join(d.address for d in _daemons(objects)),
        "MEMCACHED_SESSIONS": ",".join(d.address for d in _daemons(sessions)),
        "WEB_CONCURRENCY": "2",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        **env,
    }


@functools.cache
def demo_database():
    """Migrate a database and add the demo data once per run: each site starts from a copy,
    which saves the 3-4 s of both commands per site."""
    directory = Path(tempfile.mkdtemp(prefix="demo-database-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    maker = Gunicorn(env=site_env(directory), log_path=None)
    maker.manage("migrate", "--noinput")
    maker.manage("seed_demo")
    return directory / "db.sqlite3"


def _daemons(daemon_or_list):
    return daemon_or_list if isinstance(daemon_or_list, list | tuple) else [daemon_or_list]


def sign_in(site, username="alice"):
    return site.sign_in(username, DEMO_PASSWORD)


def raw_get(site, path, cookie=None):
    """GET ``path`` as written (with a Cookie header of these exact bytes), as an attacker's
    client sends them; return the status."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        connection.putrequest("GET", path)
        if cookie is not None:
            connection.putheader("Cookie", b"sessionid=" + cookie)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()

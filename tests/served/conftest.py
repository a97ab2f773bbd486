"""The site as deployed, for the tests that serve it: gunicorn with gunicorn.conf.py, the real
settings from the environment, the demo data (tests/support/sites.py), on memcached daemons of each
module's own, which its tests may stop; the same behind nginx; and the strictest site."""

import pytest

from tests.support.daemons import Memcached, SMTPServer, free_port
from tests.support.sites import start_site


@pytest.fixture(scope="module")
def site_objects():
    with Memcached() as daemon:
        yield daemon


@pytest.fixture(scope="module")
def site_sessions():
    with Memcached() as daemon:
        yield daemon


@pytest.fixture(scope="module")
def site(site_objects, site_sessions, tmp_path_factory, collected_static):
    server = start_site(tmp_path_factory.mktemp("gunicorn"), site_objects, site_sessions)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxied_site(site_objects, site_sessions, tmp_path_factory, collected_static):
    """The site as in production: HTTPS, behind a proxy on 127.0.0.1, which it trusts (the
    tests' nginx)."""
    server = start_site(
        tmp_path_factory.mktemp("behind-nginx"),
        site_objects,
        site_sessions,
        DJANGO_HTTPS="true",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def strict_site(smtp, tmp_path_factory, collected_static):
    """The site with tests/settings/strict.py (sign-in required everywhere, limits turned
    down), sending its email to ``smtp`` as the environment says, with a site URL of its own.
    Its memcached daemons are its own: the other site's failures from 127.0.0.1 count there."""
    with Memcached() as objects, Memcached() as sessions:
        server = start_site(
            tmp_path_factory.mktemp("strict"),
            objects,
            sessions,
            DJANGO_SETTINGS_MODULE="tests.settings.strict",
            WEB_CONCURRENCY="1",
            DJANGO_EMAIL_HOST="127.0.0.1",
            DJANGO_EMAIL_PORT=str(smtp.port),
            DJANGO_EMAIL_USE_TLS="false",
            DJANGO_DEFAULT_FROM_EMAIL="feeds@example.org",
            DJANGO_SITE_URL=f"http://localhost:{free_port()}",  # not the URL the tests ask
            DJANGO_ALLOWED_HOSTS="127.0.0.1",  # which the site URL's host would otherwise be
        )
        yield server
        server.stop()

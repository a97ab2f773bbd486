"""DATABASE_URL pointing at a real PostgreSQL: migrations, checks and writes go through."""

import pytest

from tests.httpauth.lockout_cases import CASES
from tests.httpauth.user_cases import ASKED, STORED
from tests.support.daemons import Gunicorn, PostgreSQL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres():
    with PostgreSQL() as server:
        yield server


@pytest.fixture
def site(postgres, tmp_path, memcached_objects, memcached_sessions):
    # Gunicorn is only used here for its manage() with a full deployment environment.
    return Gunicorn(
        env={
            "DJANGO_SECRET_KEY": "postgres-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": postgres.url,
            "MEMCACHED_OBJECTS": memcached_objects.address,
            "MEMCACHED_SESSIONS": memcached_sessions.address,
            "DEMO_PASSWORD": "demo-password",
        },
        log_path=tmp_path / "unused.log",
    )


def test_migrate_check_and_seed_on_postgresql(site):
    assert "Applying auth.0001_initial... OK" in site.manage("migrate", "--noinput").stdout
    checked = site.manage("check", "--database", "default")
    assert "System check identified no issues" in checked.stdout
    assert "Created alice (a member) with DEMO_PASSWORD." in site.manage("seed_demo").stdout
    assert "alice (a member) exists; left unchanged." in site.manage("seed_demo").stdout
    engine = site.manage(
        "shell", "--no-imports", "-c", "from django.db import connection; print(connection.vendor)"
    )
    assert engine.stdout.strip() == "postgresql"


def compared_on_postgresql(site, cases_module):
    """Run ``compare_everywhere()`` of ``tests.httpauth.<cases_module>`` on the site's
    PostgreSQL, through ``manage.py shell``: its three figures, as printed."""
    site.manage("migrate", "--noinput")
    compared = site.manage(
        "shell",
        "--no-imports",
        "-c",
        f"from tests.httpauth.{cases_module} import compare_everywhere; "
        "print(*compare_everywhere(), sep='|')",
    )
    return compared.stdout.strip().rsplit("\n", 1)[-1].split("|")


def test_the_lockout_handler_counts_failures_as_axes_does_on_postgresql(site):
    # Its own statement, its values prepared by PostgreSQL's adapters (an inet, a timestamptz):
    # every case of tests/httpauth/lockout_cases.py, against axes' ORM aggregate.
    cases, differences, nonzero = compared_on_postgresql(site, "lockout_cases")
    assert differences == "[]"
    assert int(cases) == CASES
    assert int(nonzero) > int(cases) // 2


def test_the_user_lookup_finds_users_as_the_orm_does_on_postgresql(site):
    # httpauth.users' statement, its rows through psycopg's types and Django's converters: every
    # case of tests/httpauth/user_cases.py, field by field against the ORM.
    cases, differences, found = compared_on_postgresql(site, "user_cases")
    assert differences == "[]"
    assert int(cases) == len(ASKED)
    assert int(found) == len(STORED)

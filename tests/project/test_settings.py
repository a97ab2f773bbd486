"""The settings module as deployments meet it: started by manage.py with an environment."""

import importlib.util
import os
import subprocess
import sys
from importlib.machinery import ModuleSpec

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.support.daemons import BASE_DIR
from tests.support.site_settings import site_settings

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3y-for-the-deploy-check-2f9d8a7c6b5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7",
    "DJANGO_ALLOWED_HOSTS": "www.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.com",
    "DJANGO_TRUSTED_PROXIES": "10.0.0.2",
    "DJANGO_SITE_URL": "https://www.example.com",
    "DJANGO_EMAIL_HOST": "smtp.example.com",
}


def manage(*args, **env):
    """Run manage.py in a clean environment: only PATH/HOME and the variables given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MEMCACHED_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_secret_key_stops_startup_with_one_line():
    result = manage("check")
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DJANGO_SECRET_KEY is not set;")
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_debug_runs_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MEMCACHED_SESSIONS", "localhost", "MEMCACHED_SESSIONS contains 'localhost'"),
        ("DATABASE_URL", "oracle+cx://x", "DATABASE_URL has an unknown scheme 'oracle+cx'"),
        ("DJANGO_HTTPS", "sometimes", "DJANGO_HTTPS is 'sometimes'"),
        ("LOG_FORMAT", "yaml", "LOG_FORMAT is 'yaml'; expected one of plain, json."),
        (
            "MEMCACHED_CLIENT",
            "python-memcached",
            "MEMCACHED_CLIENT is 'python-memcached'; expected one of pylibmc, pymemcache.",
        ),
        (
            "SENTRY_DSN",
            "https://sentry.example.com/1",
            "SENTRY_DSN is not a Sentry DSN (Missing public key); expected https://<key>@",
        ),
    ],
)
def test_malformed_value_stops_startup_naming_the_variable(variable, value, message):
    result = manage("check", DJANGO_DEBUG="true", **{variable: value})
    assert result.returncode == 1
    assert result.stderr.startswith(f"Configuration error: {message}")
    assert "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # security.W021 (HSTS preload) is silenced until DJANGO_SECURE_HSTS_PRELOAD is set.
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


def test_deploy_check_names_a_missing_site_url_and_mail_server():
    """SECURITY.md, second review, #2 and #7: the production compose file's defaults left both
    unset."""
    env = {
        k: v for k, v in PRODUCTION_ENV.items() if k not in ("DJANGO_SITE_URL", "DJANGO_EMAIL_HOST")
    }
    result = manage("check", "--deploy", **env)
    assert result.returncode == 1
    assert "?: (project.E001) DJANGO_SITE_URL is not set:" in result.stderr
    assert "?: (project.W001) DJANGO_EMAIL_HOST is not set:" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_mail_server_password_reset_is_off_outside_debug_only():
    show = "from django.conf import settings; print(settings.ACCOUNTS_PASSWORD_RESET)"
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_EMAIL_HOST"}
    assert manage("shell", "--no-imports", "-c", show, **env).stdout == "False\n"
    assert manage("shell", "--no-imports", "-c", show, **PRODUCTION_ENV).stdout == "True\n"
    assert manage("shell", "--no-imports", "-c", show, DJANGO_DEBUG="true").stdout == "True\n"


def test_hsts_preload_is_a_choice_and_then_nothing_is_silenced():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_hsts_preload_needs_a_year_of_hsts():
    result = manage("check", **PRODUCTION_ENV, DJANGO_SECURE_HSTS_PRELOAD="true")
    assert result.returncode == 1
    assert result.stderr == (
        "Configuration error: DJANGO_SECURE_HSTS_PRELOAD is true while HSTS lasts 60 s "
        "(DJANGO_SECURE_HSTS_SECONDS, and DJANGO_HTTPS); expected DJANGO_SECURE_HSTS_SECONDS "
        "of at least 31536000: preload lists require a year.\n"
    )


def test_deploy_check_warns_when_https_is_switched_off():
    result = manage("check", "--deploy", **PRODUCTION_ENV, DJANGO_HTTPS="false")
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W010" in result.stderr  # SESSION_COOKIE_SECURE


def test_two_clusters_with_distinct_prefixes():
    assert settings.CACHES["default"]["KEY_PREFIX"] == "objects"
    assert settings.CACHES["sessions"]["KEY_PREFIX"] == "sessions"
    assert settings.SESSION_ENGINE == "sessions_backend.backends.cache"
    assert settings.SESSION_CACHE_ALIAS == "sessions"


#: Each client's backends: the objects cluster's, then the sessions cluster's.
BACKENDS = {
    "pylibmc": (
        "ops.cache.ResilientPyLibMCCache",
        "sessions_backend.clients.FailFastPyLibMCCache",
    ),
    "pymemcache": (
        "ops.cache.ResilientPyMemcacheCache",
        "sessions_backend.clients.StrictPyMemcacheCache",
    ),
}


@pytest.fixture
def installed(monkeypatch):
    """The memcached clients project/settings.py finds installed: both, unless the test
    takes one out (pylibmc is not installed on Python 3.14+, whatever this Python is)."""
    found = {"pylibmc", "pymemcache"}
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name in BACKENDS:
            return ModuleSpec(name, None) if name in found else None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    return found


@pytest.mark.parametrize("client", BACKENDS)
def test_memcached_client_chooses_both_clusters_backends(installed, client):
    caches = site_settings(MEMCACHED_CLIENT=client).CACHES
    assert (caches["default"]["BACKEND"], caches["sessions"]["BACKEND"]) == BACKENDS[client]


def test_memcached_client_is_pylibmc_by_default(installed):
    assert site_settings().MEMCACHED_CLIENT == "pylibmc"


def test_memcached_client_is_pymemcache_by_default_where_pylibmc_is_not_installed(installed):
    installed.discard("pylibmc")
    assert site_settings().MEMCACHED_CLIENT == "pymemcache"


@pytest.mark.parametrize("client", BACKENDS)
def test_a_client_that_is_not_installed_is_a_configuration_error(installed, client):
    installed.discard(client)
    with pytest.raises(ImproperlyConfigured) as error:
        site_settings(MEMCACHED_CLIENT=client)
    assert str(error.value) == (
        f"MEMCACHED_CLIENT is {client!r}, which is not installed here; expected pymemcache, or "
        "pylibmc installed (Python 3.11 to 3.13, built against libmemcached-dev)."
    )


def test_pylibmc_gets_explicit_behaviors(installed):
    caches = site_settings(MEMCACHED_CLIENT="pylibmc").CACHES
    assert caches["sessions"]["OPTIONS"]["behaviors"]["cas"] is True
    for alias in ("default", "sessions"):
        options = caches[alias]["OPTIONS"]
        assert options["binary"] is False  # settings.py says why
        behaviors = options["behaviors"]
        assert behaviors["ketama"] is True
        assert behaviors["tcp_nodelay"] is True
        assert behaviors["connect_timeout"] > 0
    # No cluster moves a failed node's keys elsewhere (see settings.py).
    for alias in ("default", "sessions"):
        assert "remove_failed" not in caches[alias]["OPTIONS"]["behaviors"]


def test_pymemcache_places_keys_on_libmemcacheds_ring_with_the_same_limits(installed):
    caches = site_settings(MEMCACHED_CLIENT="pymemcache").CACHES
    pylibmc = site_settings(MEMCACHED_CLIENT="pylibmc").CACHES["sessions"]["OPTIONS"]
    for alias in ("default", "sessions"):
        options = caches[alias]["OPTIONS"]
        assert options["hasher"] == "sessions_backend.ring.LibmemcachedKetama"
        assert options["no_delay"] is True
        assert options["connect_timeout"] * 1000 == pylibmc["behaviors"]["connect_timeout"]
        assert options["timeout"] * 1000 == pylibmc["behaviors"]["_poll_timeout"]


@pytest.mark.parametrize(
    ("site_url", "hosts", "origins"),
    [
        ("https://www.example.com", ["www.example.com"], ["https://www.example.com"]),
        ("http://localhost:8000", ["localhost"], ["http://localhost:8000"]),
        ("http://[::1]:8000", ["[::1]"], ["http://[::1]:8000"]),
    ],
)
def test_the_allowed_host_and_trusted_origin_follow_the_site_url_when_unset(
    site_url, hosts, origins
):
    """A deployment names its host once (the Kubernetes overlays set DJANGO_SITE_URL alone)."""
    script = "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)"
    env = {**PRODUCTION_ENV, "DJANGO_SITE_URL": site_url}
    del env["DJANGO_ALLOWED_HOSTS"], env["DJANGO_CSRF_TRUSTED_ORIGINS"]
    result = manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{hosts} {origins}"

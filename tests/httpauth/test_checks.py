"""httpauth's system checks: the exact run_checks() output for each mistake."""

import pytest
from django.core import checks

from tests.support.checks import run_checks

AXES = "axes.backends.AxesStandaloneBackend"
APP = "httpauth.backends.AppPasswordBackend"
MODEL = "django.contrib.auth.backends.ModelBackend"


def test_a_correct_configuration_passes():
    assert run_checks() == []


def test_the_checks_carry_the_apps_tag(settings):
    settings.HTTPAUTH_CACHE_ALIAS = "credentials"
    assert [message.id for message in run_checks(tags=["httpauth"])] == ["httpauth.E001"]
    assert run_checks(tags=["models"]) == []


def test_e001_cache_alias_missing(settings):
    settings.HTTPAUTH_CACHE_ALIAS = "credentials"
    assert run_checks() == [
        checks.Error(
            "HTTPAUTH_CACHE_ALIAS is 'credentials', which is not in CACHES.",
            hint="Name an existing alias (the objects cache, 'default', is the usual one).",
            id="httpauth.E001",
        )
    ]


@pytest.mark.parametrize("ttl", [-1, "300", 1.5, True])
def test_e002_cache_ttl_not_a_whole_number(settings, ttl):
    settings.HTTPAUTH_CACHE_TTL = ttl
    assert run_checks() == [
        checks.Error(
            f"HTTPAUTH_CACHE_TTL is {ttl!r}; it must be a whole number of seconds >= 0.",
            hint="300 remembers a verified password for five minutes; 0 turns it off.",
            id="httpauth.E002",
        )
    ]


@pytest.mark.parametrize(
    ("name", "value", "message", "hint", "check_id"),
    [
        (
            "ADDRESS_FAILURE_LIMIT",
            -1,
            "HTTPAUTH_ADDRESS_FAILURE_LIMIT is -1; it must be a whole number >= 0.",
            "20 throttles an address after 20 failed checks; 0 turns it off.",
            "httpauth.E003",
        ),
        (
            "ADDRESS_FAILURE_WINDOW",
            0,
            "HTTPAUTH_ADDRESS_FAILURE_WINDOW is 0; it must be a whole number of seconds >= 1.",
            "900 counts failures, and throttles, for fifteen minutes.",
            "httpauth.E004",
        ),
        (
            "REAUTHENTICATION_WINDOW",
            "600",
            "HTTPAUTH_REAUTHENTICATION_WINDOW is '600'; it must be a whole number of seconds >= 0.",
            "600 asks for the password again after ten minutes; 0 asks every time.",
            "httpauth.E005",
        ),
        (
            "IPV6_PREFIX_LENGTH",
            129,
            "HTTPAUTH_IPV6_PREFIX_LENGTH is 129; it must be a whole number from 1 to 128.",
            "64, the network an IPv6 client usually holds, suits most sites.",
            "httpauth.E006",
        ),
        (
            "IPV6_PREFIX_LENGTH",
            0,
            "HTTPAUTH_IPV6_PREFIX_LENGTH is 0; it must be a whole number from 1 to 128.",
            "64, the network an IPv6 client usually holds, suits most sites.",
            "httpauth.E006",
        ),
    ],
)
def test_e003_to_e006_the_throttle_reauthentication_and_client_settings(
    settings, name, value, message, hint, check_id
):
    setattr(settings, f"HTTPAUTH_{name}", value)
    assert run_checks() == [checks.Error(message, hint=hint, id=check_id)]


def test_w001_app_password_backend_missing(settings):
    settings.AUTHENTICATION_BACKENDS = [AXES, MODEL]
    assert run_checks() == [
        checks.Warning(
            f"{APP} is not in AUTHENTICATION_BACKENDS: app passwords are refused.",
            hint="Add it, before ModelBackend.",
            id="httpauth.W001",
        )
    ]


def test_w002_app_password_backend_after_model_backend(settings):
    settings.AUTHENTICATION_BACKENDS = [AXES, MODEL, APP]
    assert run_checks() == [
        checks.Warning(
            f"{APP} comes after ModelBackend: every app password pays a slow password hash "
            "before it is recognised.",
            hint="Put it before django.contrib.auth.backends.ModelBackend.",
            id="httpauth.W002",
        )
    ]


def test_w003_no_axes_in_front(settings):
    settings.AUTHENTICATION_BACKENDS = [APP, MODEL, AXES]
    # django-axes adds a check of its own about its backend's place: only ours is asserted.
    messages = [m for m in run_checks() if m.id.startswith("httpauth.")]
    assert messages == [
        checks.Warning(
            "django-axes does not guard authenticate(): Basic credentials can be guessed "
            "without a lockout.",
            hint="Put axes.backends.AxesStandaloneBackend first in AUTHENTICATION_BACKENDS.",
            id="httpauth.W003",
        )
    ]


def test_w004_plain_http_allowed_is_a_deployment_warning(settings):
    settings.HTTPAUTH_REQUIRE_HTTPS = False
    assert run_checks() == []  # development: no noise
    deploy = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("httpauth.")]
    assert deploy == [
        checks.Warning(
            "HTTPAUTH_REQUIRE_HTTPS is off: Basic credentials are accepted over plain HTTP.",
            hint="Serve the site over HTTPS and set HTTPAUTH_REQUIRE_HTTPS = True.",
            id="httpauth.W004",
        )
    ]
    settings.HTTPAUTH_REQUIRE_HTTPS = True
    deploy = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("httpauth.")]
    assert deploy == []


def test_w003_without_axes_says_how_to_add_it(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "axes"]
    settings.MIDDLEWARE = [entry for entry in settings.MIDDLEWARE if not entry.startswith("axes.")]
    settings.AUTHENTICATION_BACKENDS = [APP, MODEL]
    # django-axes' own checks stay registered once imported: only ours are asserted.
    assert [m for m in run_checks() if m.id.startswith("httpauth.")] == [
        checks.Warning(
            "django-axes does not guard authenticate(): Basic credentials can be guessed "
            "without a lockout.",
            hint="Install django-axes, add 'axes' to INSTALLED_APPS and put "
            "axes.backends.AxesStandaloneBackend first in AUTHENTICATION_BACKENDS.",
            id="httpauth.W003",
        )
    ]


def test_w005_axes_counts_clients_by_another_key(settings):
    settings.AXES_CLIENT_IP_CALLABLE = None
    assert run_checks() == [
        checks.Warning(
            "django-axes counts clients by another key than httpauth's: its lockout counts each "
            "IPv6 address apart, so a client guesses from a fresh address each time.",
            hint='Set AXES_CLIENT_IP_CALLABLE = "httpauth.clients.client_key".',
            id="httpauth.W005",
        )
    ]

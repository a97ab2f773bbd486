"""ops' system checks: exact messages for each misconfiguration, nothing when all is well."""

import pytest
from django.core.checks import Error, run_checks


def ops_messages():
    return [message for message in run_checks() if message.id.startswith("ops.")]


def test_the_sites_settings_pass():
    assert ops_messages() == []


def test_e001_a_trusted_proxy_that_is_not_an_address(settings):
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.2", "the proxy"]
    assert ops_messages() == [
        Error(
            "OPS_TRUSTED_PROXIES holds 'the proxy', which is not an IP address or network.",
            hint="List addresses or networks, such as ['10.0.0.2', '192.168.0.0/16'] "
            "(DJANGO_TRUSTED_PROXIES in the environment).",
            id="ops.E001",
        )
    ]


@pytest.mark.parametrize("value", ["10.0.0.2", None])
def test_e001_not_a_list(settings, value):
    settings.OPS_TRUSTED_PROXIES = value
    assert [message.id for message in ops_messages()] == ["ops.E001"]


def test_e002_a_token_or_dsn_that_is_not_a_string(settings):
    settings.OPS_METRICS_TOKEN = None
    settings.OPS_SENTRY_DSN = 42
    assert ops_messages() == [
        Error("OPS_METRICS_TOKEN is None; it must be a string (empty: unset).", id="ops.E002"),
        Error("OPS_SENTRY_DSN is 42; it must be a string (empty: unset).", id="ops.E002"),
    ]

"""ops' system checks: exact messages for each misconfiguration, nothing when all is well."""

import ipaddress
import sys

import pytest
from django.core.checks import Error, Warning

from tests.support.checks import run_checks


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


@pytest.mark.parametrize("placeholder", ["192.0.2.0/24", "203.0.113.7/32", "2001:db8::/64"])
def test_e003_deploy_a_documentation_network_is_a_placeholder(settings, placeholder):
    settings.OPS_TRUSTED_PROXIES = ["10.1.2.3/32", placeholder]
    assert ops_messages() == []  # a deployment check only
    deploy = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("ops.")]
    assert deploy == [
        Error(
            f"OPS_TRUSTED_PROXIES holds {ipaddress.ip_network(placeholder)}, a documentation "
            "network: a placeholder, never a real proxy.",
            hint="Set DJANGO_TRUSTED_PROXIES to the addresses your proxy or Gateway connects "
            "from (Kubernetes: overlays/production, docs/kubernetes.md).",
            id="ops.E003",
        )
    ]


def test_w001_a_trusted_network_wider_than_a_24(settings):
    settings.OPS_TRUSTED_PROXIES = ["10.0.0.0/8", "10.1.2.0/24", "2001:db9::/48", "fd00::/64"]
    assert ops_messages() == [
        Warning(
            f"OPS_TRUSTED_PROXIES trusts {network}, wider than /{prefix}: any host in it may "
            "name its own client address in X-Forwarded-For, and so escape every per-client "
            "limit (lockouts, throttles) or lock others out.",
            hint="Trust your proxies' own addresses, as narrow as they are.",
            id="ops.W001",
        )
        for network, prefix in (("10.0.0.0/8", 24), ("2001:db9::/48", 64))
    ]


@pytest.mark.parametrize(
    ("backend", "module"),
    [
        pytest.param("ops.cache.ResilientPyLibMCCache", "pylibmc", marks=pytest.mark.pylibmc),
        pytest.param(
            "django.core.cache.backends.memcached.PyLibMCCache",
            "pylibmc",
            marks=pytest.mark.pylibmc,
        ),
        ("ops.cache.ResilientPyMemcacheCache", "pymemcache"),
        ("sessions_backend.clients.StrictPyMemcacheCache", "pymemcache"),
    ],
)
def test_e004_a_memcached_client_that_is_not_installed(settings, monkeypatch, backend, module):
    # Options the client takes, for the caches Django closes when the settings change back.
    options = {"connect_timeout": 1} if module == "pymemcache" else {"behaviors": {"cas": True}}
    settings.CACHES = {
        alias: {**entry, "BACKEND": backend, "OPTIONS": options}
        for alias, entry in settings.CACHES.items()
    }
    assert ops_messages() == []
    monkeypatch.setitem(sys.modules, module, None)  # what `import` meets when it is not installed
    assert ops_messages() == [
        Error(
            f"CACHES[{alias!r}] runs on {module}, which is not installed.",
            hint="Install it (pylibmc builds against libmemcached-dev), or set "
            "MEMCACHED_CLIENT to the other client (docs/deployment.md).",
            id="ops.E004",
        )
        for alias in ("default", "sessions")
    ]

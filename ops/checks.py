"""System checks for the ways ops can be misconfigured.

E001  OPS_TRUSTED_PROXIES holds something that is not an IP address or network.
E002  OPS_METRICS_TOKEN or OPS_SENTRY_DSN is not a string.
E003  (--deploy) OPS_TRUSTED_PROXIES holds a documentation network: a placeholder, never a
      real proxy (the Kubernetes production overlay ships one, to be replaced).
E004  A cache alias's memcached client (pylibmc or pymemcache, MEMCACHED_CLIENT) is not installed.
W001  OPS_TRUSTED_PROXIES holds a network wider than /24 (IPv4) or /64 (IPv6): anyone in it
      may name their own client address, and so escape every per-client limit.
"""

import importlib
import ipaddress

from django.conf import settings
from django.core import checks
from django.core.cache.backends.memcached import PyLibMCCache, PyMemcacheCache
from django.utils.module_loading import import_string

from ops.conf import app_settings

# The networks reserved for documentation (RFC 5737, RFC 3849): no proxy is ever in them.
DOCUMENTATION_NETWORKS = [
    ipaddress.ip_network(network)
    for network in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
# The widest networks trusted without a warning: a handful of proxies fit in far less.
WIDEST_PREFIX = {4: 24, 6: 64}


@checks.register("ops", checks.Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    proxies = app_settings.TRUSTED_PROXIES
    listed = isinstance(proxies, list | tuple)
    wrong = [p for p in proxies if not _network(p)] if listed else [proxies]
    if not wrong:
        return []
    return [
        checks.Error(
            f"OPS_TRUSTED_PROXIES holds {wrong[0]!r}, which is not an IP address or network.",
            hint="List addresses or networks, such as ['10.0.0.2', '192.168.0.0/16'] "
            "(DJANGO_TRUSTED_PROXIES in the environment).",
            id="ops.E001",
        )
    ]


def _network(value):
    try:
        return ipaddress.ip_network(value)
    except (TypeError, ValueError):
        return None


def _trusted_networks():
    proxies = app_settings.TRUSTED_PROXIES
    if not isinstance(proxies, list | tuple):
        return []  # E001 says so
    return [network for network in map(_network, proxies) if network is not None]


@checks.register("ops", checks.Tags.security, deploy=True)
def check_trusted_proxies_placeholder(app_configs, **kwargs):
    placeholders = [
        network
        for network in _trusted_networks()
        if any(
            network.version == documentation.version and network.subnet_of(documentation)
            for documentation in DOCUMENTATION_NETWORKS
        )
    ]
    if not placeholders:
        return []
    return [
        checks.Error(
            f"OPS_TRUSTED_PROXIES holds {placeholders[0]}, a documentation network: a "
            "placeholder, never a real proxy.",
            hint="Set DJANGO_TRUSTED_PROXIES to the addresses your proxy or Gateway connects "
            "from (Kubernetes: overlays/production, docs/kubernetes.md).",
            id="ops.E003",
        )
    ]


@checks.register("ops", checks.Tags.security)
def check_trusted_proxies_width(app_configs, **kwargs):
    return [
        checks.Warning(
            f"OPS_TRUSTED_PROXIES trusts {network}, wider than /{WIDEST_PREFIX[network.version]}:"
            " any host in it may name its own client address in X-Forwarded-For, and so escape"
            " every per-client limit (lockouts, throttles) or lock others out.",
            hint="Trust your proxies' own addresses, as narrow as they are.",
            id="ops.W001",
        )
        for network in _trusted_networks()
        if network.prefixlen < WIDEST_PREFIX[network.version]
    ]


@checks.register("ops")
def check_strings(app_configs, **kwargs):
    return [
        checks.Error(
            f"OPS_{name} is {value!r}; it must be a string (empty: unset).",
            id="ops.E002",
        )
        for name in ("METRICS_TOKEN", "SENTRY_DSN")
        if not isinstance(value := getattr(app_settings, name), str)
    ]


#: The module each of Django's memcached backends imports when it first connects.
CLIENT_MODULES = {PyLibMCCache: "pylibmc", PyMemcacheCache: "pymemcache"}


@checks.register("ops", checks.Tags.caches)
def check_memcached_clients(app_configs, **kwargs):
    """Without this, a missing client shows only at the first request: a 500 on every page."""
    messages = []
    for alias, config in settings.CACHES.items():
        try:
            backend = import_string(config["BACKEND"])
        except ImportError:
            continue  # Django's own check (caches.E001 and friends) names it
        for base, module in CLIENT_MODULES.items():
            if issubclass(backend, base) and not _importable(module):
                messages.append(
                    checks.Error(
                        f"CACHES[{alias!r}] runs on {module}, which is not installed.",
                        hint="Install it (pylibmc builds against libmemcached-dev), or set "
                        "MEMCACHED_CLIENT to the other client (docs/deployment.md).",
                        id="ops.E004",
                    )
                )
    return messages


def _importable(module):
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True

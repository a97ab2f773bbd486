"""System checks for the ways ops can be misconfigured.

E001  OPS_TRUSTED_PROXIES holds something that is not an IP address or network.
E002  OPS_METRICS_TOKEN or OPS_SENTRY_DSN is not a string.
"""

import ipaddress

from django.core import checks

from ops.conf import app_settings


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
        ipaddress.ip_network(value)
    except (TypeError, ValueError):
        return False
    return True


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

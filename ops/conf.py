"""ops' settings: one place, each default with its reason.

Read at call time (``app_settings.METRICS_TOKEN``), never at import, so ``override_settings``
works. Every setting is named ``OPS_<NAME>`` in the project's settings.
"""

from django.conf import settings

DEFAULTS = {
    # The proxies in front of the site, as addresses or networks ("10.0.0.2",
    # "192.168.0.0/16"): the only peers whose X-Forwarded-For (ops.proxy) and X-Request-ID
    # (ops.request_id) are believed. None by default: no header is believed.
    "TRUSTED_PROXIES": [],
    # A bearer token /metrics asks for. Empty, /metrics answers whoever reaches the web
    # processes: keep it inside the deployment, or set one.
    "METRICS_TOKEN": "",
    # Where error reports go (ops.sentry). Empty, none are sent and sentry-sdk is not imported.
    "SENTRY_DSN": "",
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"ops has no setting {name!r}")
        return getattr(settings, f"OPS_{name}", DEFAULTS[name])


app_settings = AppSettings()

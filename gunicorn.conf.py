"""gunicorn settings: ``gunicorn project.wsgi`` reads this file from the working directory.

Environment: PORT (default 8000), WEB_CONCURRENCY (worker processes, default two per core
plus one) and DJANGO_TRUSTED_PROXIES (docs/deployment.md). Its logs mask secrets as the
site's own do (project.redaction).
"""

import multiprocessing
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from gunicorn.glogging import Logger

from project.env import env_int, env_networks
from project.redaction import REDACT_SECRETS

try:
    port = env_int("PORT", 8000, minimum=1)
    workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1)
    trusted_proxies = env_networks("DJANGO_TRUSTED_PROXIES")
except ImproperlyConfigured as exc:
    sys.exit(f"Configuration error: {exc}")

bind = f"0.0.0.0:{port}"

# The proxies whose word on the scheme is believed: gunicorn's default trusts loopback, so
# any local client could send "X-Forwarded-Proto: https" over plain HTTP and pass the HTTPS
# redirect and httpauth's HTTPS rule. Only the proxies of DJANGO_TRUSTED_PROXIES, and only
# the header they set; the client's address is project.proxy's (the same setting).
forwarded_allow_ips = ",".join(trusted_proxies)
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"} if trusted_proxies else {}

# Each request to stdout, errors to stderr, where containers and systemd collect them.
accesslog = "-"
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with secret feed addresses and app passwords masked in its access
    and error lines (project.redaction): a secret address is a path, which the access log
    writes, as a Referer or a sign-in link's ?next= too."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(REDACT_SECRETS)


logger_class = RedactingLogger

# A worker silent for this long is killed and replaced; on shutdown or reload, workers get
# graceful_timeout seconds to finish the requests they hold.
timeout = 30
graceful_timeout = 30
# Keep-alive for a proxy in front; short, as a sync worker is held while a connection idles.
keepalive = 5


def on_starting(server):
    """Stop with one clear line, not a traceback per worker, when the settings are wrong."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - importing the settings validates the environment
    except ImproperlyConfigured as exc:
        server.log.error("Configuration error: %s", exc)
        sys.exit(1)

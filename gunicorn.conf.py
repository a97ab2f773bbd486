"""gunicorn settings: ``gunicorn project.wsgi`` reads this file from the working directory.

Environment: PORT (default 8000), WEB_CONCURRENCY (worker processes, default two per CPU of
the container's quota plus one: ops.workers), DJANGO_TRUSTED_PROXIES and LOG_FORMAT
(docs/deployment.md). Its logs mask secrets as the site's own do (ops.redaction), and follow
LOG_FORMAT as the site's do (ops.logs). Its workers keep their metrics in one directory,
which /metrics sums up (ops.metrics).
"""

import glob
import os
import shutil
import sys
import tempfile

from django.core.exceptions import ImproperlyConfigured
from gunicorn.glogging import Logger

from ops.redaction import REDACT_SECRETS, redact
from ops.workers import default_workers
from project.env import env_choice, env_int, env_networks

try:
    port = env_int("PORT", 8000, minimum=1)
    workers = env_int("WEB_CONCURRENCY", default_workers(), minimum=1)
    trusted_proxies = env_networks("DJANGO_TRUSTED_PROXIES")
    log_as_json = env_choice("LOG_FORMAT", "plain", ("plain", "json")) == "json"
except ImproperlyConfigured as exc:
    sys.exit(f"Configuration error: {exc}")

# prometheus_client's multiprocess mode: each worker writes its counts to files here, and
# /metrics sums them all. Read when prometheus_client is first imported, which the workers
# do after this file has run. Files of an earlier run are removed when gunicorn starts; a
# directory made here is removed when it stops.
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_made = tempfile.mkdtemp(prefix="metrics-")

bind = f"0.0.0.0:{port}"

# The proxies whose word on the scheme is believed: gunicorn's default trusts loopback, so
# any local client could send "X-Forwarded-Proto: https" over plain HTTP and pass the HTTPS
# redirect and httpauth's HTTPS rule. Only the proxies of DJANGO_TRUSTED_PROXIES, and only
# the header they set; the client's address is ops.proxy's (the same setting).
forwarded_allow_ips = ",".join(trusted_proxies)
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"} if trusted_proxies else {}

# Each request to stdout, errors to stderr, where containers and systemd collect them.
accesslog = "-"
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with secret feed addresses and app passwords masked in its access
    and error lines (ops.redaction): a secret address is a path, which the access log
    writes, as a Referer or a sign-in link's ?next= too. With LOG_FORMAT=json, its lines are
    the site's JSON (ops.logs), the access line's fields under "http"."""

    #: Request headers never offered to access_log_format: they are credentials.
    WITHHELD = ("authorization", "cookie", "proxy-authorization")

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(REDACT_SECRETS)
            if log_as_json:
                from ops.logs import JsonFormatter

                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for header in self.WITHHELD:
            for key in (f"{{{header}}}i", f"{{http_{header.replace('-', '_')}}}e"):
                if key in atoms:
                    atoms[key] = "[withheld]"
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}  # fmt: skip

    def access(self, resp, req, environ, request_time):
        if not log_as_json:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        http = {
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"],
            "duration_ms": round(atoms["D"] / 1000, 3),
            "remote_addr": atoms["h"],
            "referer": atoms["f"],
            "user_agent": atoms["a"],
        }
        # The id the site gave the request, from its response (ops.request_id).
        request_id = atoms.get("{x-request-id}o")
        self.access_log.info(
            "%s %s %s", http["method"], http["path"], http["status"],
            extra={"http": http, "request_id": request_id},
        )  # fmt: skip
        return None


logger_class = RedactingLogger

# A worker silent for this long is killed and replaced; on shutdown or reload, workers get
# graceful_timeout seconds to finish the requests they hold.
timeout = 30
graceful_timeout = 30
# Keep-alive for a proxy in front; short, as a sync worker is held while a connection idles.
keepalive = 5


def on_starting(server):
    """Stop with one clear line, not a traceback per worker, when the settings are wrong;
    start the metrics from zero."""
    metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(metrics_dir, exist_ok=True)
    for stale in glob.glob(os.path.join(metrics_dir, "*.db")):
        os.remove(stale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - importing the settings validates the environment
    except ImproperlyConfigured as exc:
        server.log.error("Configuration error: %s", exc)
        sys.exit(1)


def child_exit(server, worker):
    """An exited worker's counts stay in the sums; its live gauges (none yet) must not."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if "_metrics_made" in globals():
        shutil.rmtree(_metrics_made, ignore_errors=True)

"""Error reports to Sentry (sentry-sdk), when ``OPS_SENTRY_DSN`` is set.

An unhandled exception in a view, or an ERROR line, becomes an event sent from a background
thread of the worker. An event carries no secret: no request body, cookies, local variables
or personal data (the SDK's ``send_default_pii=False``), its headers scrubbed by the SDK's
denylist (Authorization, Cookie, ...), and every string left masked as the logs are
(ops.redaction): a secret feed address in the URL, credentials quoted in a message. Each
event is tagged with the request's id (ops.request_id), to find its log lines.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger

from ops import request_id
from ops.redaction import redact

#: Loggers whose errors are no report: a forged Host header is anyone's to send, and one
#: event each would spend the Sentry quota and bury real errors (the proxy refuses such
#: Hosts too: deploy/proxy/site.conf). Their lines stay in the log.
IGNORED_LOGGERS = ("django.security.DisallowedHost",)


def start(dsn):
    for name in IGNORED_LOGGERS:
        ignore_logger(name)
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        # Errors only: performance tracing is Prometheus's part here (ops.metrics).
        traces_sample_rate=0,
    )


def scrub_event(event, hint):
    """The event with every string masked, tagged with the request's id."""
    event = _masked(event)
    if (current := request_id.current()) is not None:
        event.setdefault("tags", {})["request_id"] = current
    return event


def scrub_breadcrumb(crumb, hint):
    return _masked(crumb)


def _masked(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_masked(item) for item in value)
    return value

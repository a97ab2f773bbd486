"""One id per request, on every log line of it and in its response (``X-Request-ID``).

Behind a trusted proxy (``OPS_TRUSTED_PROXIES``) the request keeps the id the proxy gave it
(nginx's ``$request_id``: deploy/proxy/site.conf), so the proxy's log and the site's name
the same request; any other client's header is ignored, as a client could otherwise write
what it likes into the site's logs. Otherwise, and for an id that is not a short token, the
request gets a new one.

``RequestIdMiddleware`` goes first in MIDDLEWARE: it reads the peer's address before
ops.proxy replaces it with the client's, and its id is then on every line logged while
the request is handled (ops.logs reads ``current()``) and on gunicorn's access line
(gunicorn.conf.py reads the response header).
"""

import re
import uuid
from contextvars import ContextVar

from ops.conf import app_settings
from ops.proxy import from_trusted_proxy

HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; other proxies send UUIDs or similar tokens.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current = ContextVar("request_id", default=None)


def current():
    """The id of the request being handled in this thread, or None outside one."""
    return _current.get()


def forget(**kwargs):
    """Receiver of ``request_finished`` (connected by ops.apps): the request is over.

    Not when the middleware returns: Django logs a 4xx or 5xx response on django.request
    after the whole middleware chain, and that line belongs to the request too."""
    _current.set(None)


def request_id_of(request):
    """The trusted proxy's id for this request, or a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if ACCEPTED.fullmatch(given) and from_trusted_proxy(
        request.META.get("REMOTE_ADDR", ""), app_settings.TRUSTED_PROXIES
    ):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request its id (``request.request_id``) and return it in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        _current.set(request.request_id)  # until request_finished (forget)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response

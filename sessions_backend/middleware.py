"""Django's SessionMiddleware, plus the sessions cluster's outage rule and "last seen".

Put ``sessions_backend.middleware.SessionMiddleware`` where Django's stands in MIDDLEWARE.
A write the cluster refuses (``SessionStoreUnavailable``, from the view or from saving the
session) becomes a 503 page instead of a 500; and a signed-in session's "last seen" in its
owner's list is refreshed at most every SESSIONS_BACKEND_LAST_SEEN_INTERVAL seconds. While
a request runs, ``requesting_session()`` is its session, for receivers that get no request
(a password change keeps the session that made it: sessions_backend.receivers).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from sessions_backend import user_sessions
from sessions_backend.conf import app_settings
from sessions_backend.outage import SessionStoreUnavailable, report

RETRY_AFTER_SECONDS = 30
_requesting_session: ContextVar[SessionBase | None] = ContextVar(
    "sessions_backend_requesting_session", default=None
)


def requesting_session() -> SessionBase | None:
    """The session of the request this thread (or task) is answering; None outside one."""
    return _requesting_session.get()


class SessionMiddleware(DjangoSessionMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        # Set around the whole request, then reset: a worker thread answers many requests.
        token = _requesting_session.set(None)
        try:
            return super().__call__(request)
        finally:
            _requesting_session.reset(token)

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        _requesting_session.set(request.session)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SessionStoreUnavailable):
            return unavailable(request, exception)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(response, "session_unavailable", False):
            return response  # nothing could be stored: leave the cookie as it is
        try:
            note_last_seen(request)
            return super().process_response(request, response)
        except SessionStoreUnavailable as exc:
            return unavailable(request, exc)


def unavailable(request: HttpRequest, exc: SessionStoreUnavailable) -> HttpResponse:
    """Answer 503 from the template, saying what failed and when to try again."""
    report("write", exc, "answered 503")
    response = render(request, "sessions_backend/unavailable.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Read by process_response: this answer must not save the session it could not write.
    response.session_unavailable = True  # type: ignore[attr-defined]
    return response


def note_last_seen(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    # Only sessions this request loaded anyway: never a read just for this.
    if session is None or not session.accessed or session.session_key is None:
        return
    user_id = session.get(SESSION_KEY)
    now = int(time.time())
    seen = session.get(user_sessions.SEEN_KEY)
    if user_id is None or (seen is not None and now - seen < app_settings.LAST_SEEN_INTERVAL):
        return
    session[user_sessions.SEEN_KEY] = now
    try:
        user_sessions.touch(user_id, session.session_key, session.get_expiry_age(), request)
    except SessionStoreUnavailable as exc:
        report("session list", exc, "last seen not updated")

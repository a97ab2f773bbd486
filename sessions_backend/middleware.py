"""Django's SessionMiddleware, plus the sessions cluster's outage rule and "last seen".

Put ``sessions_backend.middleware.SessionMiddleware`` where Django's stands in MIDDLEWARE.
A write the cluster refuses (``SessionStoreUnavailable``, from the view or from saving the
session) becomes a 503 page instead of a 500; and a signed-in session's "last seen" in its
owner's list is refreshed at most every SESSIONS_BACKEND_LAST_SEEN_INTERVAL seconds.
"""

from __future__ import annotations

import time

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from sessions_backend import user_sessions
from sessions_backend.conf import app_settings
from sessions_backend.outage import SessionStoreUnavailable, report

RETRY_AFTER_SECONDS = 30


class SessionMiddleware(DjangoSessionMiddleware):
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

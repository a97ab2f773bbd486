"""The signed-in user's sessions: see them, end one, end all the others."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sessions_backend import user_sessions


def _listed(request: HttpRequest) -> list[dict[str, Any]]:
    key = request.session.session_key
    current = user_sessions.entry_id(key) if key else None
    entries = user_sessions.prune_and_list(request.user.pk)
    for entry in entries:
        entry["current"] = entry["id"] == current
        entry["created_at"] = datetime.fromtimestamp(entry["created"], tz=UTC)
        entry["last_seen_at"] = datetime.fromtimestamp(entry["last_seen"], tz=UTC)
    return entries


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sessions_backend/session_list.html", {"sessions": _listed(request)})


@login_required
@require_POST
def sign_out_session(request: HttpRequest, entry_id: str) -> HttpResponse:
    entry = next((entry for entry in _listed(request) if entry["id"] == entry_id), None)
    if entry is None:
        raise Http404("No such session.")
    if entry["current"]:
        messages.info(request, "That is this session: use “Sign out” to end it.")
    else:
        user_sessions.sign_out(request.user.pk, entry["key"])
        messages.success(request, "That session is signed out.")
    return redirect("session-list")


@login_required
@require_POST
def sign_out_other_sessions(request: HttpRequest) -> HttpResponse:
    # Not a count: sessions the list lost end too, and nobody can count those.
    user_sessions.sign_out_everywhere(request.user, request=request)
    messages.success(request, "Every other session is signed out.")
    return redirect("session-list")

"""The signed-in user's sessions: see them, end one, end all the others."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from sessions_backend import user_sessions
from sessions_backend.conf import app_settings
from sessions_backend.devices import UNKNOWN


def _listed(request: HttpRequest) -> list[dict[str, Any]]:
    """The user's sessions, with ``current``: nothing here parses a User-Agent."""
    key = request.session.session_key
    current = user_sessions.entry_id(key) if key else None
    entries = user_sessions.prune_and_list(request.user.pk)
    for entry in entries:
        entry["current"] = entry["id"] == current
    return entries


# The rows of the list are made here, not in the template: a user may have
# SESSIONS_BACKEND_MAX_SESSIONS of them, and through the template engine (or format_html) each
# row cost about 50 µs, which made the page at 100 sessions 3.7 times slower than at 1
# (docs/benchmarks.md holds it within 1.5). Every value is escaped with html.escape.
ROW = (
    '<tr{current}><td><span class="device">{label}</span>{badge}{ip}{agent}</td>'
    '<td>{last_active}</td><td><time datetime="{created_iso}">{created}</time></td>'
    "<td>{action}</td></tr>"
)
THIS_SESSION = ' <strong class="badge">This session</strong>'
ACTIVE_NOW = "Active now"


def session_row(entry: dict[str, Any], active_since: float, sign_out_url: str) -> str:
    """One session's row, escaped: its browser, when it was last active, when it signed in,
    and a button that signs it out (the page's one form: each button names its own action).
    A session seen after ``active_since`` is "Active now"."""
    current = entry["current"]
    if current or entry["last_seen"] > active_since:
        last_active = ACTIVE_NOW  # "last seen" is refreshed once an interval: all we know
    else:
        seen = datetime.fromtimestamp(entry["last_seen"], tz=UTC)
        last_active = (
            f'<time datetime="{seen.isoformat()}" title="{_exact(seen)}">'
            f"{escape(naturaltime(seen))}</time>"
        )
    created = datetime.fromtimestamp(entry["created"], tz=UTC)
    ip, agent = entry["ip"], entry["user_agent"]
    return ROW.format(
        current=' class="current"' if current else "",
        label=escape(entry.get("device") or UNKNOWN),  # entries made before labels have none
        badge=THIS_SESSION if current else "",
        ip=f'<br><span class="muted">{escape(ip)}</span>' if ip else "",
        agent=(
            '<details><summary>Details</summary><code class="user-agent">'
            f"{escape(agent)}</code></details>"
            if agent
            else ""
        ),
        last_active=last_active,
        created_iso=created.isoformat(),
        created=_exact(created),
        action=(
            ""
            if current
            else f'<button type="submit" formaction="{sign_out_url.format(entry["id"])}">'
            "Sign out</button>"
        ),
    )


def _exact(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    active_since = time.time() - app_settings.LAST_SEEN_INTERVAL
    sign_out_url = reverse("session-sign-out", args=["0" * 20]).replace("0" * 20, "{}")
    rows = "".join(session_row(entry, active_since, sign_out_url) for entry in _listed(request))
    return render(
        request,
        "sessions_backend/session_list.html",
        {"rows": mark_safe(rows)},  # noqa: S308 - every value in it escaped by session_row
    )


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

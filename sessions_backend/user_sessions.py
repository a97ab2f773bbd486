"""Each user's list of sessions, kept in the sessions cluster.

One key per user holds ``{entry_id: entry}``. Every change is a memcached ``gets``/``cas``
loop, so two sign-ins of one user at the same moment never lose each other's entry. The
entry id is a hash of the session key: pages and forms never carry session keys.

An entry: ``key`` (the session key), ``created``, ``last_seen`` and ``expires`` (Unix
seconds), ``device`` (its label, "Firefox on Linux": sessions_backend.devices), ``ip`` and
``user_agent`` (None when SESSIONS_BACKEND_TRACK_IP / SESSIONS_BACKEND_TRACK_USER_AGENT are
off). The label is made when the entry is, and again only when the browser's User-Agent
changes, so showing the list parses nothing. Entries whose session expired or vanished are
pruned whenever the list is shown (``prune_and_list``): one read of the list and one
multi-get of the sessions.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F
from django.http import HttpRequest

from sessions_backend import devices
from sessions_backend.cluster import sessions_cluster
from sessions_backend.conf import app_settings
from sessions_backend.outage import SessionStoreUnavailable, report

KEY_PREFIX = "sessions_backend.user."
#: Where a session keeps when its owner's list last heard of it (Unix seconds): the sign-in
#: receiver sets it, the middleware refreshes "last seen" from it.
SEEN_KEY = "_sessions_backend_seen"
# A conflict means another request of the same user changed the list between our gets and
# cas; a handful of retries absorbs any realistic burst.
CAS_ATTEMPTS = 20
USER_AGENT_LENGTH = 300

#: A session's entry in its owner's list: key, created, last_seen, expires, device, ip,
#: user_agent.
Entry = dict[str, Any]
#: The list, by entry id.
Entries = dict[str, Entry]


def entry_id(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:20]


def _index_key(user_id: Any) -> str:
    return f"{KEY_PREFIX}{user_id}"


def _session_store() -> type[SessionBase]:
    engine: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return engine


def _update(user_id: Any, change: Callable[[Entries], None]) -> Entries:
    """Apply ``change(entries)`` (it edits the dict in place) to the user's list atomically."""
    cluster, key = sessions_cluster(), _index_key(user_id)
    now = time.time()
    for _attempt in range(CAS_ATTEMPTS):
        entries, token = cluster.gets(key)
        entries = entries or {}
        current = {eid: dict(entry) for eid, entry in entries.items()}  # change() edits these
        change(current)
        current = {eid: entry for eid, entry in current.items() if entry["expires"] > now}
        if current == entries:
            return current
        # Keep the list as long as its longest-lived session.
        timeout = max((entry["expires"] for entry in current.values()), default=now) - now
        stored = (
            cluster.add(key, current, int(timeout) + 1)
            if token is None
            else cluster.cas(key, current, token, int(timeout) + 1)
        )
        if stored:
            return current
    raise SessionStoreUnavailable(f"{CAS_ATTEMPTS} conflicting updates of {key}")


def _client_details(request: HttpRequest | None, entry: Entry | None = None) -> Entry:
    """The request's address, User-Agent and label, as the settings allow; the label of
    ``entry`` (what the list holds) is kept while its User-Agent is the same."""
    if request is None:  # imported, or signed in before the list existed
        return {"ip": None, "user_agent": None, "device": None}
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    details: Entry = {
        "ip": request.META.get("REMOTE_ADDR") if app_settings.TRACK_IP else None,
        "user_agent": user_agent if app_settings.TRACK_USER_AGENT else None,
    }
    if entry and entry.get("device") and entry.get("user_agent") == user_agent:
        details["device"] = entry["device"]
    else:  # a new session, another browser, or one whose User-Agent is not kept
        details["device"] = devices.label_of(user_agent)
    return details


def add(user_id: Any, session_key: str, expiry_age: int, request: HttpRequest | None) -> None:
    """Enter a session that just signed in; at the cap, sign out the least recently seen."""
    now = time.time()
    entry: Entry = {
        "key": session_key,
        "created": now,
        "last_seen": now,
        "expires": now + expiry_age,
    }
    entry.update(_client_details(request))

    def change(entries: Entries) -> None:
        entries[entry_id(session_key)] = entry

    _sign_out_past_the_cap(user_id, _update(user_id, change))


def touch(user_id: Any, session_key: str, expiry_age: int, request: HttpRequest | None) -> None:
    """Record that the session was just used (callers limit this to every few minutes)."""
    now = time.time()

    def change(entries: Entries) -> None:
        entry = entries.get(entry_id(session_key))
        if entry is None:  # signed in before the list existed, or pruned: enter it now
            entry = entries[entry_id(session_key)] = {"key": session_key, "created": now}
        entry.update(last_seen=now, expires=now + expiry_age, **_client_details(request, entry))

    _sign_out_past_the_cap(user_id, _update(user_id, change))


def rekey(user_id: Any, old_key: str | None, new_key: str, expiry_age: int) -> None:
    """Move an entry to the session's new key, keeping when it was created and from where."""
    now = time.time()

    def change(entries: Entries) -> None:
        entry = entries.pop(entry_id(old_key), None) if old_key else None
        entry = entry or {"created": now, **_client_details(None)}
        entry.update(key=new_key, last_seen=now, expires=now + expiry_age)
        entries[entry_id(new_key)] = entry

    _update(user_id, change)


def _sign_out_past_the_cap(user_id: Any, entries: Entries) -> None:
    """End the least recently seen sessions beyond SESSIONS_BACKEND_MAX_SESSIONS."""
    excess = len(entries) - app_settings.MAX_SESSIONS
    if excess > 0:
        oldest = sorted(entries.values(), key=lambda entry: entry["last_seen"])[:excess]
        sign_out(user_id, *(entry["key"] for entry in oldest))


def remove(user_id: Any, *session_keys: str) -> None:
    """Drop entries from the list (the sessions themselves are the caller's business)."""
    ids = {entry_id(key) for key in session_keys if key}

    def change(entries: Entries) -> None:
        for eid in ids:
            entries.pop(eid, None)

    _update(user_id, change)


def _read(user_id: Any) -> Entries:
    """Return the user's list, dropping expired entries from the cluster on the way."""
    return _update(user_id, lambda entries: None)


def _existing(session_keys: list[str]) -> set[str]:
    """Which of these sessions exist: one multi-get with our engines, else one look each."""
    if not session_keys:
        return set()
    store = _session_store()()
    existing = getattr(store, "existing", None)
    if existing is not None:
        return set(existing(session_keys))
    return {key for key in session_keys if store.exists(key)}


def prune_and_list(user_id: Any) -> list[Entry]:
    """Drop the entries of sessions that ended, and return the rest, most recently seen
    first: a read that writes, so every list shown is true."""
    current = _read(user_id)
    live_keys = _existing([entry["key"] for entry in current.values()])
    vanished = [entry["key"] for entry in current.values() if entry["key"] not in live_keys]
    if vanished:
        remove(user_id, *vanished)
    live = [{**entry, "id": eid} for eid, entry in current.items() if entry["key"] not in vanished]
    return sorted(live, key=lambda entry: entry["last_seen"], reverse=True)


def sign_out(user_id: Any, *session_keys: str) -> None:
    """End these sessions of the user and drop them from the list."""
    store = _session_store()()
    for session_key in session_keys:
        store.delete(session_key)
    remove(user_id, *session_keys)


def sign_out_all(user_id: Any, *, keep: str | None = None) -> int:
    """End every listed session of the user but ``keep``; return how many ended."""
    listed = _read(user_id)
    ending = [entry["key"] for entry in listed.values() if entry["key"] != keep]
    sign_out(user_id, *ending)
    return len(ending)


def sign_out_everywhere(user: Any, *, request: HttpRequest | None = None) -> None:
    """End every session of ``user``, listed or not; with ``request``, the user's own, keep
    that one (with a new key, as after a password change).

    The user model's session epoch (sessions_backend.models) goes up first: each session
    signed in before ends at its next request, whatever happened to the list. Then the listed
    sessions are deleted now, which empties the list; if the cluster cannot do that, they end
    at their next request all the same. Without the epoch, only the listed sessions end.
    """
    from sessions_backend.models import has_session_epoch  # models need the app registry

    user_model = get_user_model()
    epoch = has_session_epoch(user_model)
    if epoch:
        user_model._default_manager.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
    if request is not None:
        update_session_auth_hash(request, user)  # this session's hash takes the new epoch
    keep = request.session.session_key if request is not None else None
    try:
        sign_out_all(user.pk, keep=keep)
    except SessionStoreUnavailable as exc:
        if not epoch:
            raise
        report("session list", exc, "the sessions end at their next request instead")

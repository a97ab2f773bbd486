"""Keep each user's session list in step with sign-ins, sign-outs, password changes and
deactivations.

Each is connected in ``SessionsBackendConfig.ready()``. A failure to update the list never fails the
sign-in or sign-out itself: the list is a convenience, the session is the truth.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.http import HttpRequest

from sessions_backend import user_sessions
from sessions_backend.middleware import requesting_session
from sessions_backend.outage import SessionStoreUnavailable, report


def enter_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    session = request.session
    session[user_sessions.SEEN_KEY] = int(time.time())
    try:
        # login() has just given the session its new key.
        key = cast(str, session.session_key)
        user_sessions.add(user.pk, key, session.get_expiry_age(), request)
    except SessionStoreUnavailable as exc:
        report("session list", exc, "this session is missing from its owner's list")


def leave_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None or request.session.session_key is None:
        return
    try:
        user_sessions.remove(user.pk, request.session.session_key)
    except SessionStoreUnavailable as exc:
        report("session list", exc, "the entry is pruned once the cluster is back")


def sign_out_after_password_change(
    sender: Any, instance: Any, created: bool, **kwargs: Any
) -> None:
    """End every listed session of a user whose password was just changed, but the one
    changing it.

    ``_password`` is set by ``set_password()`` until the user is saved, and Django clears it
    for hash upgrades at sign-in, so it means exactly "the password changed". The session
    doing the change (PasswordChangeView) keeps its entry: update_session_auth_hash() right
    after gives it a new key, and the engines move the entry there with its address,
    browser and sign-in time. An admin changing someone else's password keeps nothing of
    theirs (the admin's session is not in their list); a session kept without that call
    still ends at its next request, as Django checks its password hash.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    session = requesting_session()
    try:
        user_sessions.sign_out_all(instance.pk, keep=session.session_key if session else None)
    except SessionStoreUnavailable as exc:
        # They still end at their next request: Django checks the session's password hash.
        report("session list", exc, "other sessions end at their next request instead")


def sign_out_when_deactivated(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    """End every session of a user saved inactive, listed or not.

    Django's ModelBackend only ignores an inactive user's sessions: reactivated, every one of
    them, a thief's included, would be back. ``sign_out_everywhere`` raises the session epoch
    (with ``SessionEpochMixin``), so none is (SECURITY.md, third review, #7). A
    bulk ``QuerySet.update(is_active=False)`` sends no signal: docs/sessions_backend.md says
    what to do instead.
    """
    if created or getattr(instance, "is_active", True):
        return
    if update_fields is not None and "is_active" not in update_fields:
        return  # not a deactivation: already inactive, saved for another reason
    try:
        user_sessions.sign_out_everywhere(instance)
    except SessionStoreUnavailable as exc:  # no epoch, and the list out of reach
        report("session list", exc, "the listed sessions stay, refused while inactive")

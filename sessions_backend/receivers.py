"""Keep each user's session list in step with sign-ins, sign-outs and password changes.

Each is connected in ``SessionsBackendConfig.ready()``. A failure to update the list never fails the
sign-in or sign-out itself: the list is a convenience, the session is the truth.
"""

import time

from sessions_backend import user_sessions
from sessions_backend.outage import SessionStoreUnavailable, report


def enter_session(sender, request, user, **kwargs):
    session = request.session
    session[user_sessions.SEEN_KEY] = int(time.time())
    try:
        user_sessions.add(user.pk, session.session_key, session.get_expiry_age(), request)
    except SessionStoreUnavailable as exc:
        report("session list", exc, "this session is missing from its owner's list")


def leave_session(sender, request, user, **kwargs):
    if user is None or request.session.session_key is None:
        return
    try:
        user_sessions.remove(user.pk, request.session.session_key)
    except SessionStoreUnavailable as exc:
        report("session list", exc, "the entry is pruned once the cluster is back")


def sign_out_after_password_change(sender, instance, created, **kwargs):
    """End every listed session of a user whose password was just changed.

    ``_password`` is set by ``set_password()`` until the user is saved, and Django clears it
    for hash upgrades at sign-in, so it means exactly "the password changed". The session
    doing the change (PasswordChangeView) gets a new key from update_session_auth_hash()
    right after, and the engines enter that key in the list again.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    try:
        user_sessions.sign_out_all(instance.pk)
    except SessionStoreUnavailable as exc:
        # They still end at their next request: Django checks the session's password hash.
        report("session list", exc, "other sessions end at their next request instead")

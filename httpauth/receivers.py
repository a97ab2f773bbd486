"""A sign-in counts as entering the password now, for the re-authentication window of
``httpauth.views`` (creating app passwords). Connected in ``HttpAuthConfig.ready()``, with
``httpauth.reader_access``'s receiver, which ends reader access on a new password."""

from httpauth.reauthentication import note_authentication


def note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_authentication(request)

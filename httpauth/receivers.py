"""App passwords follow the account password. Each is connected in ``HttpAuthConfig.ready()``.

A sign-in counts as entering the password now, for the re-authentication window of
``httpauth.views`` (creating app passwords). A password set anywhere (a reset, the admin,
``changepassword``) revokes what the user's feed readers use: whoever had the account may
have made some. Only the user's own change may keep it, when they say so
(``KEEP_READER_ACCESS``). ``reader_access_to_revoke`` says when; other apps' secrets given to
readers (feeds' secret addresses) follow the same rule through it.
"""

from httpauth.models import AppPassword
from httpauth.reauthentication import note_authentication

#: Set to True on a user before saving a new password to keep their app passwords and the
#: other secrets their feed readers use.
KEEP_READER_ACCESS = "_keep_reader_access"


def note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_authentication(request)


def reader_access_to_revoke(user, created):
    """Whether this save of ``user`` (a ``post_save``) set a password that revokes what their
    feed readers use."""
    # _password is set by set_password() until the user is saved, and Django clears it for
    # the hash upgrade at sign-in: it means exactly "the password changed".
    if created or getattr(user, "_password", None) is None:
        return False
    return not getattr(user, KEEP_READER_ACCESS, False)


def revoke_on_password_set(sender, instance, created, **kwargs):
    if reader_access_to_revoke(instance, created):
        instance.revoked_app_passwords = AppPassword.objects.filter(user=instance).delete()[0]

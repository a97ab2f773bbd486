"""App passwords follow the account password. Each is connected in ``HttpAuthConfig.ready()``.

A sign-in counts as entering the password now, for the re-authentication window of
``httpauth.views`` (creating app passwords). A password set anywhere (a reset, the admin,
``changepassword``) revokes the user's app passwords: whoever had the account may have made
some. Only the user's own change may keep them, when they say so (``KEEP_APP_PASSWORDS``).
"""

from httpauth.models import AppPassword
from httpauth.reauthentication import note_authentication

#: Set to True on a user before saving a new password to keep their app passwords.
KEEP_APP_PASSWORDS = "_httpauth_keep_app_passwords"


def note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_authentication(request)


def revoke_on_password_set(sender, instance, created, **kwargs):
    # _password is set by set_password() until the user is saved, and Django clears it for
    # the hash upgrade at sign-in: it means exactly "the password changed".
    if created or getattr(instance, "_password", None) is None:
        return
    if getattr(instance, KEEP_APP_PASSWORDS, False):
        return
    instance.revoked_app_passwords = AppPassword.objects.filter(user=instance).delete()[0]

from django import forms
from django.contrib.auth import forms as auth_forms

from httpauth.receivers import KEEP_APP_PASSWORDS


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, offering to revoke the user's app passwords too (httpauth revokes them on
    any other password change)."""

    revoke_app_passwords = forms.BooleanField(
        label="Also revoke my app passwords",
        help_text="Readers using them will need new ones. Leave it checked if a reader or "
        "device may be in the wrong hands.",
        required=False,
        initial=True,
    )

    def save(self, commit=True):
        if not self.cleaned_data["revoke_app_passwords"]:
            setattr(self.user, KEEP_APP_PASSWORDS, True)
        return super().save(commit)

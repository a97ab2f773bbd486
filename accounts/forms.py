from django import forms
from django.contrib.auth import forms as auth_forms

from httpauth.receivers import KEEP_READER_ACCESS


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, offering to revoke what the user's feed readers use too: app passwords and
    secret feed addresses (revoked on any other password change: httpauth.receivers)."""

    revoke_reader_access = forms.BooleanField(
        label="Also revoke my app passwords and secret feed addresses",
        help_text="Readers using them will need new ones. Leave it checked if a reader or "
        "device may be in the wrong hands.",
        required=False,
        initial=True,
    )

    def save(self, commit=True):
        if not self.cleaned_data["revoke_reader_access"]:
            setattr(self.user, KEEP_READER_ACCESS, True)
        return super().save(commit)

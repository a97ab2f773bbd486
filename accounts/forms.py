from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms

from httpauth.reader_access import keeping_reader_access, kinds_in_words


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, offering to revoke what the user's feed readers use too (revoked on any other
    password change: httpauth.reader_access)."""

    revoke_reader_access = forms.BooleanField(
        help_text="Readers using them will need new ones. Leave it checked if a reader or "
        "device may be in the wrong hands.",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Named after the kinds installed: "app passwords and secret feed addresses".
        self.fields["revoke_reader_access"].label = f"Also revoke my {kinds_in_words()}"

    def save(self, commit: bool = True) -> Any:  # Django's returns the user, typed Any
        if self.cleaned_data["revoke_reader_access"]:
            return super().save(commit)
        with keeping_reader_access(self.user):
            return super().save(commit)

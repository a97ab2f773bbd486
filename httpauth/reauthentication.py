"""A short window after the user last entered their password, as GitHub's sudo mode.

Creating an app password (or a secret feed address) gives lasting feed access, so it needs
more than a session cookie, which may be stolen: the password, entered within
HTTPAUTH_REAUTHENTICATION_WINDOW seconds, at sign-in or on the page itself
(``ConfirmPasswordForm``). A sign-in counts as entering it: ``note_sign_in`` is a
``user_logged_in`` receiver, connected in ``HttpAuthConfig.ready()``.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from httpauth.conf import app_settings

SESSION_KEY = "_httpauth_authenticated_at"


def note_authentication(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def note_sign_in(
    sender: type[Any], request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """A ``user_logged_in`` receiver: a sign-in through a form opens the window."""
    if request is not None and hasattr(request, "session"):
        note_authentication(request)


def recently_authenticated(request: HttpRequest) -> bool:
    entered = request.session.get(SESSION_KEY)
    return entered is not None and time.time() - entered < app_settings.REAUTHENTICATION_WINDOW


class ConfirmPasswordForm(forms.Form):
    """A form that asks for the account password, unless it was entered within the window.
    Mix it into the form that creates something lasting: ``(ConfirmPasswordForm, ModelForm)``.
    """

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="This gives lasting access to your feeds: confirm it is you.",
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        if recently_authenticated(request):
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # authenticate(), so that django-axes counts wrong passwords and locks out guessing.
        user = authenticate(
            self.request, username=self.request.user.get_username(), password=password
        )
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError("That is not your password.")
        note_authentication(self.request)
        return str(password)

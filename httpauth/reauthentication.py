"""A short window after the user last entered their password, as GitHub's sudo mode.

Creating an app password (or a secret feed address) gives lasting feed access, so it needs
more than a session cookie, which may be stolen: the password, entered within
HTTPAUTH_REAUTHENTICATION_WINDOW seconds, at sign-in or on the page itself
(``ConfirmPasswordForm``). A sign-in counts as entering it: ``note_sign_in`` is a
``user_logged_in`` receiver, connected in ``HttpAuthConfig.ready()``.

With HTTPAUTH_REAUTHENTICATION_URL, the users HTTPAUTH_REQUIRE_APP_PASSWORD names (those with
a second factor, say) confirm on that page instead: their password opens nothing, and the
form sends them there.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import urlencode

from httpauth.conf import app_settings, requires_app_password

SESSION_KEY = "_httpauth_authenticated_at"


def note_authentication(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def confirms_elsewhere(user: Any) -> bool:
    """Whether ``user`` confirms on HTTPAUTH_REAUTHENTICATION_URL, not with the password."""
    return app_settings.REAUTHENTICATION_URL is not None and requires_app_password(user)


def reauthentication_url(request: HttpRequest) -> str:
    """HTTPAUTH_REAUTHENTICATION_URL, to come back to this page."""
    url = resolve_url(app_settings.REAUTHENTICATION_URL)
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def _at_reauthentication_url(request: HttpRequest) -> bool:
    return request.path == resolve_url(app_settings.REAUTHENTICATION_URL)


def note_sign_in(
    sender: type[Any], request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """A ``user_logged_in`` receiver: a sign-in through a form opens the window, unless the
    user confirms elsewhere (the password is then not enough)."""
    if request is not None and hasattr(request, "session") and not confirms_elsewhere(user):
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
        #: Where to confirm instead, for a user who confirms elsewhere outside the window.
        self.confirm_url = None
        if recently_authenticated(request):
            del self.fields["password"]
        elif confirms_elsewhere(request.user) and not _at_reauthentication_url(request):
            # (That page itself may ask for the password: of staff who must enrol, say.)
            del self.fields["password"]
            self.confirm_url = reauthentication_url(request)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        if self.confirm_url is not None:
            raise forms.ValidationError(
                "This gives lasting access to your feeds: confirm it is you first.",
                code="confirm_elsewhere",
            )
        return cleaned_data

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

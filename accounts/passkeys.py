"""Passkeys, as a second factor: django-otp-webauthn's views and helper, fitted to the site.

- The relying party is the site's host and the one origin expected is the site's: DJANGO_SITE_URL
  (SITE_URL, which OTP_WEBAUTHN_ALLOWED_ORIGINS holds), or without it the request's own, whose
  host ALLOWED_HOSTS has checked, as the site's links do. So it runs on any port of
  localhost in development and tests. Browsers offer passkeys only on HTTPS or on localhost
  (not 127.0.0.1).
- Adding a passkey needs a fresh confirmation (httpauth.reauthentication's window), as every
  change to the factors does (accounts.security).
- Using one opens that window, as a code does (``note_verified``).
- Passkeys are a second factor only: signing in with one alone
  (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN) is off, because that sign-in would skip the
  password form's lockout and throttle.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from accounts.second_factor import note_verified
from httpauth.reauthentication import recently_authenticated
from sessions_backend.devices import label


def _origin(request: HttpRequest) -> str:
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def relying_party_id(request: HttpRequest) -> str:
    """OTP_WEBAUTHN_RP_ID_CALLABLE: the site's host name, without its port."""
    return str(urlsplit(_origin(request)).hostname)


class PasskeyHelper(WebAuthnHelper):  # type: ignore[misc]  # untyped library
    """OTP_WEBAUTHN_HELPER_CLASS: the site's origin is the one expected."""

    def get_allowed_origins(self) -> list[str]:
        return [_origin(self.request)]


class NotConfirmed(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]  # untyped library
    status_code = 403
    code = "not_confirmed"
    default_detail = "Confirm it is you first: reload the page."


class BeginRegistration(views.BeginCredentialRegistrationView):  # type: ignore[misc]  # untyped library
    def check_can_register(self) -> None:
        if not recently_authenticated(self.request):
            raise NotConfirmed()


class CompleteRegistration(views.CompleteCredentialRegistrationView):  # type: ignore[misc]  # untyped library
    def check_can_register(self) -> None:
        if not recently_authenticated(self.request):
            raise NotConfirmed()

    def post(self, *args: Any, **kwargs: Any) -> Any:
        """Name the new passkey after the browser that made it, as the session list does."""
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            browser = label(self.request.headers.get("User-Agent", ""))
            WebAuthnCredential.objects.filter(pk=json.loads(response.content)["id"]).update(
                name=f"Passkey ({browser})"[:64]
            )
        return response


class CompleteAuthentication(views.CompleteCredentialAuthenticationView):  # type: ignore[misc]  # untyped library
    def complete_auth(self, device: Any) -> None:
        note_verified(self.request, device)


# Under the namespace the library's template tags reverse (accounts/urls.py includes them).
app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]

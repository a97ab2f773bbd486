"""/account/security/: your second factors. Add or remove an authenticator app or a passkey,
and make new recovery codes.

Every change needs a fresh confirmation (httpauth.reauthentication's window): with the second
factor once there is one, with the password before. Without it, the page sends you to
accounts.confirm and back.

Recovery codes are shown once, on the page that makes them (never cached), and kept by
django-otp as each user's static device; each works once. They come with the first factor,
and go with the last.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import hexlify
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.second_factor import (
    new_recovery_codes,
    new_totp_device,
    note_verified,
    recovery_codes_left,
    shown,
)
from httpauth.reauthentication import recently_authenticated

#: The secret of the authenticator app being added, kept in the session until its first
#: code proves the app has it: nothing is saved before.
PENDING_KEY = "_accounts_pending_totp_key"


class AuthenticatorForm(forms.Form):
    name = forms.CharField(
        label="Name it after the app or device",
        max_length=64,
        initial="Authenticator app",
    )
    code = forms.CharField(
        label="The code it shows now",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _confirmed_first(request: HttpRequest) -> HttpResponse | None:
    """Send the user to confirm it is them, and back (to this page, or to the security page
    from a form's POST), unless they did so within the window."""
    if recently_authenticated(request):
        return None
    back = request.get_full_path() if request.method == "GET" else reverse("security")
    return redirect_to_login(back, reverse("confirm"))


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": [shown(c) for c in codes]})
    add_never_cache_headers(response)  # shown once, and kept by no cache
    return response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "authenticators": TOTPDevice.objects.filter(user=user, confirmed=True),
        "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
        "recovery_codes_left": recovery_codes_left(user),
        "confirmed": recently_authenticated(request),
    }
    return render(request, "accounts/security.html", context)


@sensitive_post_parameters("code")
@login_required
def add_authenticator(request: HttpRequest) -> HttpResponse:
    if (confirm := _confirmed_first(request)) is not None:
        return confirm
    user: Any = request.user
    if request.method == "GET" or PENDING_KEY not in request.session:
        request.session[PENDING_KEY] = hexlify(secrets.token_bytes(20)).decode()
    form = AuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = request.session[PENDING_KEY]
        first = not user.has_second_factor  # then recovery codes come with it
        device = new_totp_device(user, form.cleaned_data["name"], key, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", "That is not the code the app shows now. Try the next one.")
        else:
            del request.session[PENDING_KEY]
            note_verified(request, device)  # this session has just used it
            if first:
                return _codes_page(request, new_recovery_codes(user))
            messages.success(request, f"“{device.name}” is added.")
            return redirect("security")
    unsaved = TOTPDevice(user=user, name="", key=request.session[PENDING_KEY])
    response = render(
        request,
        "accounts/add_authenticator.html",
        {
            "form": form,
            "qr_code": segno.make(unsaved.config_url, error="m").svg_inline(
                scale=4, title="The QR code to scan", dark="#1a1a1a"
            ),
            "secret": b32encode(unsaved.bin_key).decode(),
        },
    )
    add_never_cache_headers(response)  # the secret is on it
    return response


@login_required
@require_POST
def make_recovery_codes(request: HttpRequest) -> HttpResponse:
    if (confirm := _confirmed_first(request)) is not None:
        return confirm
    user: Any = request.user
    if not user.has_second_factor:
        messages.error(request, "Add an authenticator app or a passkey first.")
        return redirect("security")
    return _codes_page(request, new_recovery_codes(user))


@login_required
@require_POST
def remove_factor(request: HttpRequest, model: type[Any], pk: int) -> HttpResponse:
    """Remove one of the user's authenticator apps (TOTPDevice) or passkeys
    (WebAuthnCredential): accounts/urls.py names the model."""
    if (confirm := _confirmed_first(request)) is not None:
        return confirm
    device = get_object_or_404(model, pk=pk, user=request.user)
    device.delete()  # the last factor takes the recovery codes along (accounts.second_factor)
    messages.success(request, f"“{device.name}” is removed.")
    return redirect("security")

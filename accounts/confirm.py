"""/accounts/confirm/: "confirm it is you", with the second factor, or the password without one.

The one page for three moments:
- signing in, after the password, for a user with a second factor (accounts.middleware holds
  the session here until it is used);
- before a lasting change (an app password, a secret feed address, a factor added or
  removed) once httpauth.reauthentication's window has closed: with the second factor (the
  password alone no longer opens it: HTTPAUTH_REAUTHENTICATION_URL points here);
- the same, for a user without one: the password.

A code is an authenticator app's or a recovery code; a passkey is used from the same page.
A wrong code counts as a wrong password does: in django-axes' lockout of the username from
that client, and in httpauth's throttle of the client (both hear ``user_login_failed``); a
locked-out or throttled client is answered 429 before any code is checked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp_webauthn.models import WebAuthnCredential

from accounts.second_factor import device_for_code, note_verified, verified
from httpauth.lockout import is_locked_out, lockout_response
from httpauth.reauthentication import ConfirmPasswordForm, recently_authenticated
from httpauth.throttle import throttled_sign_in


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    """Where to go once confirmed: ``next`` if it is on this site, else LOGIN_REDIRECT_URL."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("code", "password")
@never_cache
@throttled_sign_in
@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_second_factor:
        return _confirm_password(request)
    signing_in = not verified(request)
    if not signing_in and recently_authenticated(request):
        return redirect(_next(request))  # confirmed a moment ago: nothing to ask
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request, user.get_username()):
            return lockout_response(request)
        device = device_for_code(user, form.cleaned_data["code"])
        if device is not None:
            note_verified(request, device)
            return redirect(_next(request))
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        form.add_error("code", "That code is not right, or it was used already.")
    context = {
        "form": form,
        "next": _next(request),
        "signing_in": signing_in,
        "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
    }
    return render(request, "accounts/confirm.html", context)


def _confirm_password(request: HttpRequest) -> HttpResponse:
    if recently_authenticated(request):
        return redirect(_next(request))
    form = ConfirmPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():  # the form opened the window
        return redirect(_next(request))
    return render(
        request,
        "accounts/confirm.html",
        {"form": form, "next": _next(request), "signing_in": False, "has_passkey": False},
    )

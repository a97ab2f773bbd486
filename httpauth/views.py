"""/account/app-passwords/: create, list and revoke the passwords you give feed readers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from httpauth.conf import resolved
from httpauth.models import AppPassword
from httpauth.reauthentication import ConfirmPasswordForm

if TYPE_CHECKING:  # generic in django-stubs only
    _ModelForm = forms.ModelForm[AppPassword]
else:
    _ModelForm = forms.ModelForm


class AppPasswordForm(ConfirmPasswordForm, _ModelForm):
    """The name of a new app password, and the account password unless it was entered within
    the re-authentication window (httpauth.reauthentication)."""

    class Meta:
        model = AppPassword
        fields = ["name"]
        labels = {"name": "Name it after the reader or device that will use it"}


def _user(request: HttpRequest) -> Any:
    """The signed-in user (the views are login_required): the project's user model."""
    assert isinstance(request.user, AbstractBaseUser)
    return request.user


def _uses(app_passwords: list[AppPassword]) -> dict[Any, str]:
    """HTTPAUTH_READER_USE's text for each app password, when the project names one."""
    hook = resolved("READER_USE")
    if hook is None or not app_passwords:
        return {}
    return dict(hook(app_passwords))


@login_required
def app_password_list(request: HttpRequest) -> HttpResponse:
    form = AppPasswordForm(request.POST or None, request=request)
    created = None
    if request.method == "POST" and form.is_valid():
        app_password, token = AppPassword.issue(_user(request), form.cleaned_data["name"])
        created = {"name": app_password.name, "token": token}
        form = AppPasswordForm(request=request)
    app_passwords = list(AppPassword.objects.filter(user=_user(request)))
    uses = _uses(app_passwords)
    for app_password in app_passwords:
        app_password.use = uses.get(app_password.pk)  # type: ignore[attr-defined]
    response = render(
        request,
        "httpauth/app_passwords.html",
        {"form": form, "created": created, "app_passwords": app_passwords},
    )
    if created:
        add_never_cache_headers(response)  # the token is shown once, and kept nowhere
    return response


@login_required
@require_POST
def app_password_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    app_password = get_object_or_404(AppPassword, pk=pk, user=request.user)
    app_password.delete()
    messages.success(request, f"“{app_password.name}” is revoked: it no longer opens anything.")
    return redirect("app-passwords")

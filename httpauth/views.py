"""/account/app-passwords/: create, list and revoke the passwords you give feed readers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from httpauth.models import AppPassword
from httpauth.reauthentication import ConfirmPasswordForm


class AppPasswordForm(ConfirmPasswordForm, forms.ModelForm):
    """The name of a new app password, and the account password unless it was entered within
    the re-authentication window (httpauth.reauthentication)."""

    class Meta:
        model = AppPassword
        fields = ["name"]
        labels = {"name": "Name it after the reader or device that will use it"}


@login_required
def app_password_list(request):
    form = AppPasswordForm(request.POST or None, request=request)
    created = None
    if request.method == "POST" and form.is_valid():
        app_password, token = AppPassword.issue(request.user, form.cleaned_data["name"])
        created = {"name": app_password.name, "token": token}
        form = AppPasswordForm(request=request)
    response = render(
        request,
        "httpauth/app_passwords.html",
        {
            "form": form,
            "created": created,
            "app_passwords": request.user.app_passwords.all(),
        },
    )
    if created:
        add_never_cache_headers(response)  # the token is shown once, and kept nowhere
    return response


@login_required
@require_POST
def app_password_revoke(request, pk):
    app_password = get_object_or_404(AppPassword, pk=pk, user=request.user)
    app_password.delete()
    messages.success(request, f"“{app_password.name}” is revoked: it no longer opens anything.")
    return redirect("app-passwords")

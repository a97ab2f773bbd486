"""The signed-in user's account page, and the password change that says what it revoked."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import PasswordChangeForm
from httpauth.reader_access import held, in_words, revoked_between


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        had = held(form.user)
        response = super().form_valid(form)
        if revoked := in_words(revoked_between(had, held(form.user))):
            messages.info(
                self.request,
                f"Revoked with your old password: {revoked}. Give your readers new ones.",
            )
        return response

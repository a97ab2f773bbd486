"""The signed-in user's account page, and the password change that says what it revoked."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.forms import PasswordChangeForm


@login_required
def account(request):
    return render(request, "accounts/account.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = getattr(form.user, "revoked_app_passwords", 0)
        if revoked:
            messages.info(
                self.request,
                f"Your {revoked} app password{'s' if revoked != 1 else ''} "
                f"{'are' if revoked != 1 else 'is'} revoked: give your readers new ones.",
            )
        return response

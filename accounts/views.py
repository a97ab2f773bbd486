"""The signed-in user's account page: where their sessions, app passwords and password are."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account(request):
    return render(request, "accounts/account.html")

"""The hold between a password and a second factor.

Django's ``LoginView`` and the admin's sign-in sign the user in once the password is right.
For a user with a second factor, that session is held: every request but the confirmation
page (accounts.confirm), its passkey endpoints and signing out is sent to the confirmation
page, until the session has used the factor. So no page, the admin's included, opens to the
password alone, whichever form took it (gyrinx#2074 was an admin sign-in that skipped it).

Staff without a factor are held the same way on the security page, where they enrol, while
ACCOUNTS_REQUIRE_MFA_FOR_STAFF is on.

It costs nothing per request: ``has_second_factor`` is a field of the user that
AuthenticationMiddleware loads, and the session says whether it was used. It goes after
AuthenticationMiddleware (check accounts.E002).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from accounts.second_factor import must_enrol, verified


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user: Any = request.user  # the project's user model
        if user.is_authenticated:
            # What django-otp's OTPMiddleware would add, and django-otp-webauthn asks.
            user.is_verified = lambda: verified(request)
            if user.has_second_factor and not verified(request):
                if not _open_while_held(request.path):
                    return redirect_to_login(request.get_full_path(), reverse("confirm"))
                # The pages it reaches show no links it could not follow (base.html).
                request.second_factor_pending = True  # type: ignore[attr-defined]
            elif must_enrol(user) and not _open_while_enrolling(request.path):
                return redirect_to_login(request.get_full_path(), reverse("security"))
        return self.get_response(request)


#: What a held session may reach: the confirmation page, signing out, a passkey's check.
HELD_OPEN = (
    "confirm",
    "logout",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)
#: And while enrolling: the security page's own (under its address), a passkey's enrolment.
ENROLLING_OPEN = (
    *HELD_OPEN,
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
)


def _open_while_held(path: str) -> bool:
    return path in {reverse(name) for name in HELD_OPEN}


def _open_while_enrolling(path: str) -> bool:
    return path.startswith(reverse("security")) or path in {reverse(n) for n in ENROLLING_OPEN}

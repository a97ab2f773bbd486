from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import confirm, password_reset, security, views
from httpauth.throttle import throttled_sign_in

urlpatterns = [
    # Before Django's and the admin's: the same views, refused while the client is throttled
    # for failing too often, whatever the usernames (httpauth.throttle).
    path("accounts/login/", throttled_sign_in(LoginView.as_view()), name="login"),
    path("admin/login/", throttled_sign_in(admin.site.login)),
    # Before Django's: the same view, offering to revoke app passwords too.
    path(
        "accounts/password_change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    # Before Django's: limited, and the same answer after the same work for any address.
    path(
        "accounts/password_reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # The second factor: "confirm it is you" (at sign-in, and before lasting changes), and
    # the passkey endpoints it and the security page use (accounts.passkeys).
    path("accounts/confirm/", confirm.confirm, name="confirm"),
    path("accounts/passkeys/", include("accounts.passkeys")),
    # Django's sign-in, sign-out and password views, with the site's templates/registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", views.account, name="account"),
    path("account/security/", security.security, name="security"),
    path(
        "account/security/authenticator/",
        security.add_authenticator,
        name="add-authenticator",
    ),
    path(
        "account/security/recovery-codes/",
        security.make_recovery_codes,
        name="recovery-codes",
    ),
    path(
        "account/security/authenticator/<int:pk>/remove/",
        security.remove_factor,
        {"model": TOTPDevice},
        name="remove-authenticator",
    ),
    path(
        "account/security/passkey/<int:pk>/remove/",
        security.remove_factor,
        {"model": WebAuthnCredential},
        name="remove-passkey",
    ),
]

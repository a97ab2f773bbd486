from django.urls import include, path

from accounts import password_reset, views

urlpatterns = [
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
    # Django's sign-in, sign-out and password views, with the site's templates/registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", views.account, name="account"),
]

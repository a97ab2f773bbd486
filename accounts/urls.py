from django.urls import include, path

from accounts import views

urlpatterns = [
    # Before Django's: the same view, offering to revoke app passwords too.
    path(
        "accounts/password_change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    # Django's sign-in, sign-out and password views, with this app's templates/registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", views.account, name="account"),
]

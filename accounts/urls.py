from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from accounts import password_reset, views
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
    # Django's sign-in, sign-out and password views, with the site's templates/registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", views.account, name="account"),
]

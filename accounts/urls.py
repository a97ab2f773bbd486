from django.urls import include, path

from accounts import views

urlpatterns = [
    # Django's sign-in, sign-out and password views, with this app's templates/registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", views.account, name="account"),
]

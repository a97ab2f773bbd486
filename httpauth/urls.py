from django.urls import path

from httpauth import views

urlpatterns = [
    path("", views.app_password_list, name="app-passwords"),
    path("<int:pk>/revoke/", views.app_password_revoke, name="app-password-revoke"),
]

"""The test site of sessions_backend's tests: the app's URLs where the project puts them,
Django's auth views, and an admin offering the app's action on whatever the user model is."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import include, path

from sessions_backend.admin import sign_out_everywhere
from tests.support.standalone import whoami


class UserAdmin(admin.ModelAdmin):
    actions = [sign_out_everywhere]


admin_site = admin.AdminSite(name="admin")
admin_site.register(get_user_model(), UserAdmin)

urlpatterns = [
    path("", whoami),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/sessions/", include("sessions_backend.urls")),
    path("admin/", admin_site.urls),
]

"""The site's URLs. /healthz and /readyz are answered earlier, by project.health's middleware."""

from django.contrib import admin
from django.urls import include, path

from project import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("feeds/", include("feeds.urls")),
]

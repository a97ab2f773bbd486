"""The site's URLs: pages, accounts, admin, feeds and the health endpoints."""

from django.contrib import admin
from django.urls import include, path

from project import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("feeds/", include("feeds.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

"""ops' pages, under /status/ (project/urls.py)."""

from django.urls import path

from ops import views

urlpatterns = [
    path("", views.status, name="status"),
    path("flush-objects/", views.flush_objects, name="flush-objects"),
]

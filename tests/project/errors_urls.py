"""URLs for tests/project/test_errors.py: views that fail, under the project's handler500."""

from django.db import OperationalError
from django.urls import path

from project.urls import handler500  # noqa: F401 - Django reads it from this module


def database_down(request):
    raise OperationalError("connection failed: server closed the connection unexpectedly")


def bug(request):
    raise RuntimeError("a bug")


urlpatterns = [path("database-down/", database_down), path("bug/", bug)]

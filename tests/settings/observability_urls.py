"""The site's URLs, and a view that fails saying what a careless one might: its path and the
request's credentials. Error reports and log lines must carry neither."""

from django.urls import path

from project.urls import handler500  # noqa: F401 - Django reads it from this module
from project.urls import urlpatterns as site_urlpatterns


def fail(request, secret):
    raise RuntimeError(
        f"failed on {request.path} for {request.META.get('HTTP_AUTHORIZATION', 'nobody')}"
    )


urlpatterns = [path("fail/<str:secret>/", fail), *site_urlpatterns]

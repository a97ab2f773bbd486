from django.urls import path

from project.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a view that fails, to show the 500 page")


urlpatterns = [*site_urlpatterns, path("fail/", fail)]

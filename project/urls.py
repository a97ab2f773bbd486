"""The site's URLs. /healthz and /readyz are answered earlier, by ops.health's middleware."""

from django.contrib import admin
from django.urls import include, path

from project import views

# A database outage is a 503 with Retry-After, anything else the 500 page (project/errors.py).
handler500 = "project.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("accounts.urls")),  # sign-in, sign-out, password, /account/
    path("account/sessions/", include("sessions_backend.urls")),
    path("account/app-passwords/", include("httpauth.urls")),
    path("status/", include("ops.urls")),  # both clusters, the objects flush
    path("admin/", admin.site.urls),
    path("", include("feeds.urls")),  # the demo layer: entries and their feeds
]

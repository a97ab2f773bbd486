from django.apps import AppConfig


class HttpAuthConfig(AppConfig):
    name = "httpauth"
    verbose_name = "HTTP Basic authentication"

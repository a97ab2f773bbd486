from django.apps import AppConfig


class HttpAuthConfig(AppConfig):
    name = "httpauth"
    verbose_name = "HTTP Basic authentication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from httpauth import checks  # noqa: F401 - registers them

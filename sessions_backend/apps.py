from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


class SessionsBackendConfig(AppConfig):
    name = "sessions_backend"
    verbose_name = "Sessions on memcached"

    def ready(self):
        from sessions_backend import checks, receivers  # noqa: F401 - registers them

        post_save.connect(
            receivers.sign_out_after_password_change,
            sender=get_user_model(),
            dispatch_uid="sessions_backend.sign_out_after_password_change",
        )

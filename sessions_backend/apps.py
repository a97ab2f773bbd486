from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save


class SessionsBackendConfig(AppConfig):
    name = "sessions_backend"
    verbose_name = "Sessions on memcached"

    def ready(self) -> None:
        from sessions_backend import checks, receivers  # noqa: F401 - registers the checks

        user_logged_in.connect(
            receivers.enter_session, dispatch_uid="sessions_backend.enter_session"
        )
        user_logged_out.connect(
            receivers.leave_session, dispatch_uid="sessions_backend.leave_session"
        )
        post_save.connect(
            receivers.sign_out_after_password_change,
            sender=get_user_model(),
            dispatch_uid="sessions_backend.sign_out_after_password_change",
        )
        post_save.connect(
            receivers.sign_out_when_deactivated,
            sender=get_user_model(),
            dispatch_uid="sessions_backend.sign_out_when_deactivated",
        )

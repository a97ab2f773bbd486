from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save


class HttpAuthConfig(AppConfig):
    name = "httpauth"
    verbose_name = "HTTP Basic authentication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from httpauth import (
            checks,  # noqa: F401 - registers the checks
            reader_access,
            reauthentication,
            throttle,
        )

        user_logged_in.connect(reauthentication.note_sign_in, dispatch_uid="httpauth.note_sign_in")
        user_login_failed.connect(
            throttle.count_failed_sign_in, dispatch_uid="httpauth.count_failed_sign_in"
        )
        post_save.connect(
            reader_access.revoke_on_password_set_or_deactivation,
            sender=get_user_model(),
            dispatch_uid="httpauth.revoke_reader_access",
        )

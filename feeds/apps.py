from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from feeds import checks, receivers  # noqa: F401 - registers the checks

        post_save.connect(
            receivers.revoke_on_password_set,
            sender=get_user_model(),
            dispatch_uid="feeds.revoke_on_password_set",
        )

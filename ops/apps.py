from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The site's operations, wired once Django is set up (in each gunicorn worker): the
    metrics count what the apps signal, a request's id is kept until the request is over,
    errors go to Sentry when OPS_SENTRY_DSN is set, and the log redaction learns every reader
    secret's prefix."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished, setting_changed

        from ops import checks, health, metrics, redaction, request_id  # noqa: F401 - checks
        from ops.conf import app_settings

        metrics.connect_receivers()
        redaction.learn_secret_prefixes()
        request_finished.connect(request_id.forget, dispatch_uid="ops-request-id")
        setting_changed.connect(health.forget_last_answer, dispatch_uid="ops-readyz")
        if app_settings.SENTRY_DSN:
            from ops import sentry  # sentry-sdk is imported only where it is used

            sentry.start(app_settings.SENTRY_DSN)

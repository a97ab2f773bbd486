from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The site itself: its metrics count what the apps signal, a request's id is kept until
    the request is over, errors go to Sentry when SENTRY_DSN is set (all once Django is set
    up, in each gunicorn worker), and its deployment checks are registered."""

    name = "project"
    verbose_name = "Site"

    def ready(self):
        from django.conf import settings
        from django.core.signals import request_finished

        from project import checks, metrics, request_id  # noqa: F401 - checks register

        metrics.connect_receivers()
        request_finished.connect(request_id.forget, dispatch_uid="site-request-id")
        if settings.SENTRY_DSN:
            from project import sentry  # sentry-sdk is imported only where it is used

            sentry.start(settings.SENTRY_DSN)

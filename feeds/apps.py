from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from feeds import (
            checks,  # noqa: F401 - registers the checks
            metrics,
        )
        from feeds.signals import feed_served, poll_refused

        feed_served.connect(metrics.count_feed_response, dispatch_uid="feeds-metrics")
        poll_refused.connect(metrics.count_refused_poll, dispatch_uid="feeds-polls-refused")
        metrics.export_known_series()

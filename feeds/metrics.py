"""The feeds' Prometheus counter: every answer of a feed, by feed, how its reader came and
status (docs/operations.md lists the family).

The feeds own it: prometheus_client collects every Counter a process makes (and, under
gunicorn, every worker's files), so ``/metrics`` (ops.metrics) exports it without knowing the
feeds, and the family leaves with the app. ``FeedsConfig.ready`` connects the receiver and
exports each feed's series at 0, before its first count: a series that appeared with its first
count would hide that count from ``increase()``.
"""

from prometheus_client import Counter

from feeds.catalog import KINDS
from feeds.signals import PRIVATE_AUTHS

FEED_RESPONSES = Counter(
    "site_feed_responses",
    "Feed answers, by feed, how the reader came (public, session, basic, app_password, "
    "secret) and status.",
    ["feed", "auth", "status"],
)


def export_known_series():
    """Each feed with each way its readers come, answering 200, at 0."""
    for kind in KINDS:
        for auth in ("public",) if kind.is_public else PRIVATE_AUTHS:
            FEED_RESPONSES.labels(kind.slug, auth, "200")


def count_feed_response(sender, feed, auth, status, **kwargs):
    """A ``feeds.signals.feed_served`` receiver."""
    FEED_RESPONSES.labels(feed, auth, str(status)).inc()

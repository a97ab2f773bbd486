"""The feeds' Prometheus counters: every answer of a feed, by feed, how its reader came and
status; and the polls refused past their budget, by credential (docs/operations.md lists the
families).

The feeds own it: prometheus_client collects every Counter a process makes (and, under
gunicorn, every worker's files), so ``/metrics`` (ops.metrics) exports it without knowing the
feeds, and the family leaves with the app. ``FeedsConfig.ready`` connects the receiver and
exports each series at 0, before its first count: a series that appeared with its first count
would hide that count from ``increase()``.
"""

from prometheus_client import Counter

from feeds.catalog import KINDS
from feeds.polling import CREDENTIALS
from feeds.signals import PRIVATE_AUTHS

FEED_RESPONSES = Counter(
    "site_feed_responses",
    "Feed answers, by feed, how the reader came (public, session, basic, app_password, "
    "secret) and status.",
    ["feed", "auth", "status"],
)
POLLS_REFUSED = Counter(
    "site_feed_polls_refused",
    "Feed polls refused with 429 past their poll budget (FEEDS_POLL_BUDGET), by the kind of "
    "credential counted (app_password, basic, secret, public).",
    ["credential"],
)


def export_known_series():
    """Each feed with each way its readers come, answering 200, and each kind of credential
    refused, at 0."""
    for kind in KINDS:
        for auth in ("public",) if kind.is_public else PRIVATE_AUTHS:
            FEED_RESPONSES.labels(kind.slug, auth, "200")
    for credential in CREDENTIALS:
        POLLS_REFUSED.labels(credential)


def count_feed_response(sender, feed, auth, status, **kwargs):
    """A ``feeds.signals.feed_served`` receiver."""
    FEED_RESPONSES.labels(feed, auth, str(status)).inc()


def count_refused_poll(sender, credential, **kwargs):
    """A ``feeds.signals.poll_refused`` receiver."""
    POLLS_REFUSED.labels(credential).inc()

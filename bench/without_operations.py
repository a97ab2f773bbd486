"""The project's settings without what operations add to every request, for
bench/operations.py to compare against: no request id, no metrics middleware."""

from project.settings import *  # noqa: F403 - the real settings, two middleware fewer

MIDDLEWARE = [
    name
    for name in MIDDLEWARE  # noqa: F405
    if name not in {"ops.request_id.RequestIdMiddleware", "ops.metrics.MetricsMiddleware"}
]

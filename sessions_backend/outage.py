"""What happens when the sessions cluster cannot be reached.

A failed read lets the request go on as anonymous; a write that must persist raises
``SessionStoreUnavailable``, which ``sessions_backend.middleware.SessionMiddleware`` answers
with a 503 page. Either way the failure is logged, rate-limited, on the ``sessions_backend``
logger, and sent as the ``store_failed`` signal (for a project's metrics):
never a 500, never a silent sign-out.
"""

import logging
import threading
import time

from sessions_backend.conf import app_settings
from sessions_backend.signals import store_failed

logger = logging.getLogger("sessions_backend")


class SessionStoreUnavailable(Exception):
    """The sessions cluster could not store or delete a session."""


class RateLimitedWarning:
    """Log the first failure at once, then at most one warning per ``interval`` seconds
    saying how many failures were not logged in between."""

    def __init__(self, logger: logging.Logger, interval: float) -> None:
        self.logger = logger
        self.interval = interval
        self._lock = threading.Lock()
        self._last_logged: float | None = None
        self._unlogged = 0

    def failure(self, message: str, *args: object) -> None:
        with self._lock:
            now = time.monotonic()
            if self._last_logged is not None and now - self._last_logged < self.interval:
                self._unlogged += 1
                return
            unlogged, self._unlogged, self._last_logged = self._unlogged, 0, now
        if unlogged:
            message += f" ({unlogged} more failures since the last warning)"
        self.logger.warning(message, *args)


_warning = RateLimitedWarning(logger, interval=0)


def report(operation: str, exc: BaseException, consequence: str) -> None:
    """Signal a failed ``operation`` ("load", "save", "write", "delete", "session list") and
    log it, rate-limited; ``consequence`` says what the request does instead ("goes on signed
    out", "answered 503", ...). The signal says "load" for a load, "write" for the others."""
    store_failed.send(sender=None, operation="load" if operation == "load" else "write")
    _warning.interval = app_settings.WARNING_INTERVAL
    _warning.failure(
        "sessions cluster unavailable: %s failed (%s); %s", operation, exc, consequence
    )

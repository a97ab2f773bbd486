"""memcached nodes that fail fast: a node that stalls is skipped, not waited on.

A node that is slow or silent (swap, a lossy link) is the common way memcached fails. The
clients wait for it on every call, each time up to their timeout (250 ms here), request after
request. Here, once a node times out, or answers late ``LATE_IN_A_ROW`` times in a row, every
client of the process skips it for ``SKIP_SECONDS``: its calls raise ``NodeSkipped`` at once,
which each cache answers with its outage rule (the objects cache: a miss; the sessions
cluster: an outage, never a stale copy from elsewhere). Then the next call for it tries it
again, and one answer in time brings it back. mcrouter calls this marking a node "TKO".

``NODES`` is the process's record; ``sessions_backend.clients`` consults and feeds it for
both clients (pylibmc through ``FailFastClient``, pymemcache through ``StrictHashClient``).
Only failures of the node itself count (timeouts, refused or broken connections), not
answers such as "not stored" or "out of memory".
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("sessions_backend.nodes")

#: Seconds a node that failed is skipped before a call tries it again.
SKIP_SECONDS = 3.0
#: An answer this late (seconds) counts towards skipping the node...
LATE_SECONDS = 0.1
#: ...when this many come in a row.
LATE_IN_A_ROW = 3


class NodeSkipped(OSError):
    """A call went to a node that is being skipped. An OSError, as a refused connection is:
    whatever catches the clients' connection failures catches it too."""


class Nodes:
    """Which nodes the process skips, until when; thread-safe, cheap while none is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: node ("host:port") -> time.monotonic() until which it is skipped
        self.skipped: dict[str, float] = {}
        #: node -> how many late answers it gave in a row
        self.late: dict[str, int] = {}

    def check(self, node: str) -> None:
        """Raise NodeSkipped if ``node`` is skipped; past its time, let this call try it."""
        until = self.skipped.get(node)
        if until is None:
            return
        if time.monotonic() < until:
            raise NodeSkipped(f"memcached node {node} is skipped after failing")
        with self._lock:  # this call probes it; the others keep skipping meanwhile
            if self.skipped.get(node) == until:
                self.skipped[node] = time.monotonic() + SKIP_SECONDS

    def failed(self, node: str, why: BaseException | str) -> None:
        with self._lock:
            first = node not in self.skipped
            self.skipped[node] = time.monotonic() + SKIP_SECONDS
            self.late.pop(node, None)
        if first:
            logger.warning(
                "memcached node %s failed (%s): skipped for %s s at a time until it answers",
                node,
                why,
                SKIP_SECONDS,
            )

    def answered(self, node: str, seconds: float) -> None:
        """Note an answer that took ``seconds``."""
        if seconds >= LATE_SECONDS:
            with self._lock:
                late = self.late[node] = self.late.get(node, 0) + 1
            if late >= LATE_IN_A_ROW:
                self.failed(node, f"{late} answers in a row after {LATE_SECONDS} s or more")
        elif node in self.skipped or node in self.late:
            with self._lock:
                self.late.pop(node, None)
                back = self.skipped.pop(node, None) is not None
            if back:
                logger.warning("memcached node %s answers again", node)


#: The process's record, shared by every client of every cluster.
NODES = Nodes()

"""memcached nodes that fail fast: a node that stalls is skipped, not waited on.

A node that is slow or silent (swap, a lossy link) is the common way memcached fails. The
clients wait for it on every call, each time up to their timeout (250 ms here), request after
request. Here, once a node times out, or answers late ``LATE_IN_A_ROW`` times in a row, every
client of the process skips it: its calls raise ``NodeSkipped`` at once, which each cache
answers with its outage rule (the objects cache: a miss; the sessions cluster: an outage,
never a stale copy from elsewhere). Every ``SKIP_SECONDS`` a thread of its own asks the node
for its version, with the clients' timeout; an answer in time brings it back. No request ever
waits for the probe. mcrouter calls this marking a node "TKO".

``NODES`` is the process's record; ``sessions_backend.clients`` consults and feeds it for
both clients (pylibmc through ``FailFastClient``, pymemcache through ``StrictHashClient``).
Only failures of the node itself count (timeouts, refused or broken connections), not
answers such as "not stored" or "out of memory".
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

logger = logging.getLogger("sessions_backend.nodes")

#: Seconds between two probes of a node that is skipped.
SKIP_SECONDS = 3.0
#: How long a probe waits to connect, and then for the answer: the clients' timeout.
PROBE_TIMEOUT = 0.25
#: An answer this late (seconds) counts towards skipping the node...
LATE_SECONDS = 0.1
#: ...when this many come in a row.
LATE_IN_A_ROW = 3


class NodeSkipped(OSError):
    """A call went to a node that is being skipped. An OSError, as a refused connection is:
    whatever catches the clients' connection failures catches it too."""


def answers_in_time(node: str) -> bool:
    """Ask ``node`` ("host:port") for its version over a connection of its own."""
    host, _, port = node.rpartition(":")
    deadline = time.monotonic() + PROBE_TIMEOUT
    try:
        with socket.create_connection((host.strip("[]"), int(port)), PROBE_TIMEOUT) as sock:
            sock.sendall(b"version\r\n")
            answer = b""
            while not answer.endswith(b"\r\n"):
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                if not (chunk := sock.recv(256)):
                    return False
                answer += chunk
    except OSError:
        return False
    return answer.startswith(b"VERSION ") and time.monotonic() <= deadline


class Nodes:
    """Which nodes the process skips, until when; thread-safe, cheap while none is.

    One thread of the process probes the skipped nodes, started with the first failure (a
    call that already waited out a timeout), so that no request pays for starting it.
    ``probe(node) -> bool`` is what it asks (tests give their own)."""

    def __init__(self, probe: Callable[[str], bool] = answers_in_time) -> None:
        self.probe = probe
        self._lock = threading.Lock()
        #: node ("host:port") -> time.monotonic() of its next probe
        self.skipped: dict[str, float] = {}
        #: node -> how many late answers it gave in a row
        self.late: dict[str, int] = {}
        #: nodes whose probe is asked for or running
        self.probing: set[str] = set()
        self._wake = threading.Event()
        self._prober: threading.Thread | None = None

    def check(self, node: str) -> None:
        """Raise NodeSkipped if ``node`` is skipped; past its time, have it probed meanwhile."""
        next_probe = self.skipped.get(node)
        if next_probe is None:
            return
        if time.monotonic() >= next_probe and node not in self.probing:
            with self._lock:
                if node in self.skipped and node not in self.probing:
                    self.probing.add(node)
                    self._wake.set()
        raise NodeSkipped(f"memcached node {node} is skipped after failing")

    def _ensure_prober(self) -> None:
        """Start the probing thread unless it runs (a forked worker has none). Under _lock."""
        if self._prober is None or not self._prober.is_alive():
            self._prober = threading.Thread(target=self._probe_forever, name="memcached-probe")
            self._prober.daemon = True
            self._prober.start()

    def _probe_forever(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            for node in list(self.probing):
                self._probe(node)

    def _probe(self, node: str) -> None:
        try:
            back = self.probe(node)
        except Exception:  # a probe that breaks leaves the node skipped
            logger.exception("probing memcached node %s failed", node)
            back = False
        with self._lock:
            self.probing.discard(node)
            if node not in self.skipped:
                return
            if not back:
                self.skipped[node] = time.monotonic() + SKIP_SECONDS
                return
            del self.skipped[node]
            self.late.pop(node, None)
        logger.warning("memcached node %s answers again", node)

    def failed(self, node: str, why: BaseException | str) -> None:
        with self._lock:
            first = node not in self.skipped
            self.skipped[node] = time.monotonic() + SKIP_SECONDS
            self.late.pop(node, None)
            self._ensure_prober()
        if first:
            logger.warning(
                "memcached node %s failed (%s): skipped until it answers a probe, every %s s",
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
        elif node in self.late:
            with self._lock:
                self.late.pop(node, None)


#: The process's record, shared by every client of every cluster.
NODES = Nodes()

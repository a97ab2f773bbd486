"""A memcached node that fails the way nodes do in production: slow, or silent.

``FaultyProxy(daemon)`` listens on a free loopback port and relays to a real memcached; its
``mode`` says how it answers: "healthy" relays at once, "late" holds each reply ``delay``
seconds, "silent" accepts connections and requests and never replies (a node in swap, a
lossy link). The mode can change at any time, for the connections already open too.

It also notes each command the clients send (``commands``: "get key1 key2", "incr key 1"),
for tests that count round trips: a multi-get is one command naming every key.
"""

import contextlib
import socket
import threading
import time

from tests.support.daemons import free_port


class FaultyProxy:
    def __init__(self, daemon, mode="healthy", delay=0.3):
        self.target = (daemon.host, daemon.port)
        self.mode, self.delay = mode, delay
        self.port = free_port()
        self._listener = socket.create_server(("127.0.0.1", self.port), backlog=128)
        self._closed = threading.Event()
        self._sockets = []
        self._lock = threading.Lock()
        self.commands = []

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._closed.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def _accept(self):
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(
                target=self._relay,
                args=(client, server, False, _Commands(self.commands)),
                daemon=True,
            ).start()
            threading.Thread(target=self._relay, args=(server, client, True), daemon=True).start()

    def _relay(self, source, sink, replies, commands=None):
        try:
            while data := source.recv(65536):
                if commands is not None:
                    commands.feed(data)
                if replies and self.mode == "silent":
                    continue  # swallowed: the client waits for an answer that never comes
                if replies and self.mode == "late":
                    time.sleep(self.delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


#: The text protocol's storage commands: a data block of <bytes> follows the command line.
STORAGE = {b"set", b"add", b"replace", b"append", b"prepend", b"cas"}


class _Commands:
    """Splits what one connection sends into command lines, skipping storage data blocks."""

    def __init__(self, into):
        self.into = into
        self.buffer = b""
        self.skip = 0  # bytes of a data block still to come

    def feed(self, data):
        self.buffer += data
        while True:
            if self.skip:
                taken = min(self.skip, len(self.buffer))
                self.buffer, self.skip = self.buffer[taken:], self.skip - taken
                if self.skip:
                    return
            line, found, rest = self.buffer.partition(b"\r\n")
            if not found:
                return
            self.buffer = rest
            words = line.split()
            if words and words[0] in STORAGE:
                self.skip = int(words[4]) + 2
            self.into.append(line.decode(errors="replace"))

"""Signed-in clients under load, for the drills."""

import threading
import time
from collections import Counter

import requests

from tests.support.sites import DEMO_PASSWORD

SIGNED_IN = "Signed in as <strong>alice</strong>"


def signed_in_client(site, username="alice"):
    browser, response = site.sign_in(username, DEMO_PASSWORD)
    assert response.status_code == 302, response.status_code
    return browser


class Load:
    """Signed-in clients requesting a page in a loop, each on its own thread, counting
    statuses and the answers that show the client signed out."""

    def __init__(self, url, clients, path="/"):
        self.url, self.clients, self.path = url, clients, path
        self.statuses = Counter()
        self.signed_out = 0
        self.errors = []
        #: (time.monotonic() it was sent, seconds it took, status, signed out?) of each answer
        self.answers = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(c,)) for c in clients]

    def _run(self, client):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                response = client.get(self.url + self.path, timeout=10)
            except requests.RequestException as exc:  # counted: a refused connection is a fault
                with self._lock:
                    self.errors.append(type(exc).__name__)
                continue
            seconds = time.monotonic() - started
            signed_out = response.status_code == 200 and SIGNED_IN not in response.text
            with self._lock:
                self.answers.append((started, seconds, response.status_code, signed_out))
                self.statuses[response.status_code] += 1
                self.signed_out += signed_out

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join()

    @property
    def requests(self):
        return sum(self.statuses.values()) + len(self.errors)

    @property
    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self):
        return (
            f"{self.requests} requests from {len(self.clients)} signed-in clients; "
            f"statuses {dict(sorted(self.statuses.items()))}; connection errors "
            f"{len(self.errors)}; answers showing a signed-out user {self.signed_out}"
        )


def wait(seconds):
    time.sleep(seconds)

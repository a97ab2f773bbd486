"""tests/smoke/kind_drill.py counts every failure, from every thread: its clients against a real
HTTP server on loopback that answers, cuts its answers short, answers 503 or is gone, as a web pod
being stopped does. The drill itself needs a kind cluster: the GitHub workflow's kind job runs it
(make kind-drill)."""

import importlib.util
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.daemons import BASE_DIR, free_port


@pytest.fixture
def drill():
    spec = importlib.util.spec_from_file_location(
        "kind_drill", BASE_DIR / "tests" / "smoke" / "kind_drill.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Pod(BaseHTTPRequestHandler):
    """/account/ signed in, every other answer cut short (its length promised, then closed)."""

    answered = 0

    def do_GET(self):
        Pod.answered += 1
        body = b"<p>Signed in as <strong>alice</strong></p>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body) + (100 if Pod.answered % 2 else 0)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args):
        pass


class Unavailable(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<h1>Temporarily unavailable</h1>"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_response_cut_short_is_a_counted_failure_not_a_dead_thread(drill, serve):
    site = serve(Pod)
    with drill.Load([drill.Browser(site) for _ in range(2)]) as load:
        time.sleep(0.5)
    assert load.answers[True] > 0
    assert load.answers[False] > 0  # IncompleteRead: an http.client.HTTPException, no OSError
    assert load.failed() == load.answers[False]
    assert not any(thread.is_alive() for thread in load.threads)
    load.report("in the test")
    assert drill.FAILURES == ["0 failed requests in the test"]


def test_a_refused_connection_is_a_counted_failure(drill):
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens: every connection refused
    with drill.Load([drill.Browser(gone)]) as load:
        time.sleep(0.3)
    assert load.answers[True] == 0
    assert load.answers[False] > 0
    assert load.failed() == load.answers[False]
    status, text = drill.Browser(gone).get("/account/")
    assert status is None
    assert text.startswith("URLError: ")


def test_a_sign_in_without_a_form_is_a_failure_not_an_exception(drill, serve):
    site = serve(Unavailable)
    assert drill.Browser(site).sign_in() is False  # no csrftoken cookie on a 503 page
    assert drill.Browser(f"http://127.0.0.1:{free_port()}").sign_in() is False


def test_every_kubectl_call_names_the_kind_clusters_context(drill, monkeypatch):
    calls = []
    monkeypatch.setattr(
        drill.subprocess, "run", lambda command, **kwargs: calls.append(command) or _Done()
    )
    drill.kubectl("get", "pods")
    drill.kubectl("get", "pods", namespace="default")
    assert calls == [
        ["kubectl", "--context", "kind-refsite", "-n", "refsite", "get", "pods"],
        ["kubectl", "--context", "kind-refsite", "-n", "default", "get", "pods"],
    ]


class _Done:
    stdout = ""

"""Real servers for the tests: memcached daemons and gunicorn, on free loopback ports."""

import contextlib
import email
import email.policy
import glob
import gzip
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import requests.adapters

from tests.support.waiting import wait_for, wait_for_matches

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STARTUP_SECONDS = 15


def _ports_below_the_ephemeral_range():
    """The ports from 20000 up to the kernel's ephemeral range (32768 unless set otherwise)."""
    try:
        first = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        first = 32768
    return range(20000, max(first, 20001))


_handed_out = set()
_chooser = random.SystemRandom()  # not the seed tests (or pytest's workers) share


def free_port(host="127.0.0.1"):
    """A port free on ``host`` now, chosen below the kernel's ephemeral range.

    A port the kernel picks (bind to 0) comes from the range outgoing connections take theirs
    from; in the second before a server binds it, one of the suite's thousands of connections
    could take it (CI saw gunicorn fail with "Address already in use"). Below that range only
    another listener can, and the choice is random over 12,000 ports, never one handed out
    before in this process.
    """
    ports = _ports_below_the_ephemeral_range()
    for _ in range(100):
        port = _chooser.choice(ports)
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port on {host} in {ports}")


def wait_for_port(port, *, process, seconds=STARTUP_SECONDS, host="127.0.0.1"):
    def listening():
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            return False

    wait_for(listening, seconds=seconds, what=f"something listening on {host}:{port}")


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_reply(sock, *, one_line):
    """Read a text-protocol reply: one line, or lines up to END."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
        if data.endswith(b"END\r\n") or (one_line and data.endswith(b"\r\n")):
            break
    return data


class Server:
    """What every server here shares: ``with Memcached() as daemon:`` starts it, and stops it
    however the block ends."""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class Memcached(Server):
    """A memcached daemon of our own; ``stop()`` and ``start()`` again on the same port.

    On a free port of 127.0.0.1 unless told ``host`` (any of 127.0.0.0/8) and ``port``.
    """

    def __init__(self, memory_mb=16, *extra_args, host="127.0.0.1", port=None):
        binary = shutil.which("memcached")
        if binary is None:
            raise RuntimeError("memcached is not installed: apt-get install memcached")
        self.host = host
        self.port = port or free_port(host)
        self.command = [binary, "-l", host, "-p", str(self.port), "-U", "0"]
        self.command += ["-m", str(memory_mb), *extra_args]
        if os.geteuid() == 0:
            self.command += ["-u", "nobody"]  # memcached refuses to run as root
        self.process = None

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    def start(self):
        self.process = subprocess.Popen(self.command)
        wait_for_port(self.port, process=self.process, host=self.host)
        return self

    def _text_command(self, command, *, one_line=False):
        """Send a text-protocol command; return the reply's lines."""
        with socket.create_connection((self.host, self.port), timeout=5) as sock:
            sock.sendall(command + b"\r\n")
            return _read_reply(sock, one_line=one_line).decode().splitlines()

    def stats(self):
        """Return memcached's counters (``cmd_get``, ``cmd_set``, ``curr_items``...) as ints."""
        fields = (line.split(" ", 2) for line in self._text_command(b"stats"))
        return {f[1]: int(f[2]) for f in fields if len(f) == 3 and f[2].isdigit()}

    def holds(self, key):
        """Say whether this daemon holds ``key`` (the full key, prefix and version included).

        A meta get without flags answers HD or EN and sends no value. (memcached's key dump,
        ``lru_crawler metadump``, was tried first: it misses items stored just before.)
        """
        return self._text_command(b"mg " + key.encode(), one_line=True) == ["HD"]

    def flush(self):
        """Empty the daemon, as a restart or a replacement of the node does."""
        assert self._text_command(b"flush_all", one_line=True) == ["OK"]

    def stop(self):
        # Killed, as in an outage (SIGTERM would cost a second of memcached's shutdown).
        stop(self.process, signal.SIGKILL)


class PostgreSQL(Server):
    """A throwaway PostgreSQL cluster listening on a free loopback port."""

    def __init__(self):
        initdb = shutil.which("initdb") or max(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"), default=None
        )
        if initdb is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
        self.bin = Path(initdb).resolve().parent
        # Not under pytest's tmp_path: that is private to root, and the server may not be.
        self.directory = Path(tempfile.mkdtemp(prefix="refsite-postgres-"))
        self.port = free_port()
        # PostgreSQL refuses to run as root; Debian's package brings the "postgres" user.
        self.as_user = {"user": "postgres"} if os.geteuid() == 0 else {}
        self.process = None

    @property
    def url(self):
        return f"postgres://site@127.0.0.1:{self.port}/site"

    def start(self):
        data = self.directory / "data"
        if self.as_user:
            shutil.chown(self.directory, "postgres")
        subprocess.run(
            [
                self.bin / "initdb",
                "-D",
                data,
                "-U",
                "site",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            **self.as_user,
        )
        self._serve()
        subprocess.run(
            [self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "site", "site"],
            check=True,
            capture_output=True,
        )
        return self

    def _serve(self):
        self.process = subprocess.Popen(
            [
                *(self.bin / "postgres", "-D", self.directory / "data"),
                *("-p", str(self.port), "-k", self.directory),
                *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **self.as_user,
        )
        wait_for_port(self.port, process=self.process)

    def pause(self):
        """Stop the server, keeping its data: ``resume()`` serves it again on the same port."""
        stop(self.process, signal.SIGINT)

    def resume(self):
        self._serve()
        return self

    def stop(self):
        stop(self.process, signal.SIGINT)  # "fast shutdown": no waiting for clients
        shutil.rmtree(self.directory, ignore_errors=True)


class Gunicorn(Server):
    """The site under gunicorn, as deployed: gunicorn.conf.py, real settings from ``env``;
    the site in ``tree`` (this checkout, or another: a benchmark's "before")."""

    def __init__(self, env, log_path, tree=BASE_DIR):
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port)}
        self.log_path = log_path
        self.tree = tree
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args):
        """Run a manage.py command with this server's environment."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.tree,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "project.wsgi"],
                cwd=self.tree,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for_port(self.port, process=self.process)
        except RuntimeError as exc:  # it exited: say why, from its own words
            tail = "\n".join(self.log().splitlines()[-20:])
            raise RuntimeError(f"{exc}; its log ends:\n{tail}") from exc
        return self

    def stop(self):
        stop(self.process)

    def log(self):
        """The log so far: to read what is written while a request is answered (Django's
        lines); what comes after the response (the access line) needs ``log_lines``."""
        return Path(self.log_path).read_text()

    def log_lines(self, pattern, *, since=0, at_least=1):
        """The matches of ``pattern`` in the log past ``since``, once ``at_least`` are there:
        gunicorn writes a request's access line after the response has left."""
        return wait_for_matches(lambda: self.log()[since:], pattern, at_least=at_least)

    def sign_in(self, username, password):
        """Sign in through the form as a browser does; return ``(session, response)``."""
        browser = requests.Session()
        form = browser.get(f"{self.url}/accounts/login/", timeout=10)
        response = browser.post(
            f"{self.url}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
            },
            headers={"Referer": form.url},
            allow_redirects=False,
            timeout=10,
        )
        return browser, response


class _FromAddress(requests.adapters.HTTPAdapter):
    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address, verify=True):
    """A requests session connecting from ``address`` (any of 127/8 is loopback), so that
    the site sees a client of its own; ``verify``: True, or a certificate to trust."""
    session = requests.Session()
    session.mount("https://", _FromAddress(address))
    session.mount("http://", _FromAddress(address))
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify; no proxies either
    session.verify = str(verify) if verify is not True else True
    return session


class Nginx(Server):
    """nginx terminating TLS on loopback in front of ``upstream_port``, as docs/deployment.md
    recommends: HTTPS with a self-signed certificate for localhost and 127.0.0.1, plain HTTP
    redirected to it, and X-Forwarded-For / X-Forwarded-Proto set for the upstream."""

    def __init__(self, upstream_port):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("nginx is not installed: apt-get install nginx-light")
        self.binary = binary
        self.upstream_port = upstream_port
        self.http_port, self.https_port = free_port(), free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="refsite-nginx-"))
        self.process = None

    @property
    def url(self):
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self):
        return self.directory / "cert.pem"

    def _configure(self):
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
                *("-keyout", self.directory / "key.pem", "-out", self.certificate),
            ],
            check=True,
            capture_output=True,
        )
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.directory / temp).mkdir()
            (self.directory / temp).chmod(0o777)  # nginx's workers run as nobody under root
        d = self.directory
        (d / "nginx.conf").write_text(
            f"""
daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{self._servers()}
}}
"""
        )

    def _servers(self):
        d = self.directory
        return f"""
    access_log {d}/access.log;
    server {{
        listen 127.0.0.1:{self.http_port};
        return 301 https://$host:{self.https_port}$request_uri;
    }}
    server {{
        listen 127.0.0.1:{self.https_port} ssl;
        ssl_certificate {self.certificate};
        ssl_certificate_key {d}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{self.upstream_port};
            proxy_set_header Host $http_host;  # with the port: the tests use free ports
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
"""

    def access_log(self):
        path = self.directory / "access.log"
        return path.read_text() if path.exists() else ""

    def access_lines(self, pattern, *, at_least=1):
        """The matches of ``pattern`` in the access log, once ``at_least`` are there."""
        return wait_for_matches(self.access_log, pattern, at_least=at_least)

    def start(self):
        self._configure()
        self.process = subprocess.Popen(
            [self.binary, "-p", self.directory, "-c", self.directory / "nginx.conf"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.https_port, process=self.process)
        return self

    def stop(self):
        stop(self.process, signal.SIGQUIT)  # graceful: workers finish what they hold
        shutil.rmtree(self.directory, ignore_errors=True)


class ProductionProxy(Nginx):
    """The production topology's proxy, ``deploy/proxy/site.conf`` as it is (its log format
    and masking included), on loopback: only its addresses and paths are changed, and
    ``deploy/proxy/20-site-host.sh`` writes its server name, as the container does."""

    PROXY = BASE_DIR / "deploy" / "proxy"

    def __init__(self, upstream_port, site_host="localhost"):
        super().__init__(upstream_port)
        self.site_host = site_host

    def _servers(self):
        d = self.directory
        subprocess.run(
            ["sh", self.PROXY / "20-site-host.sh", d / "site-host.conf"],
            env={**os.environ, "SITE_HOST": self.site_host},
            check=True,
            capture_output=True,
        )
        replacements = {
            "resolver 127.0.0.11 valid=10s ipv6=off;": "",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl http2": f"listen 127.0.0.1:{self.https_port} ssl http2",
            "/etc/nginx/access-log.conf": str(self.PROXY / "access-log.conf"),
            "/etc/nginx/site-host.conf": str(d / "site-host.conf"),
            "/etc/nginx/certs/site.crt": str(self.certificate),
            "/etc/nginx/certs/site.key": str(d / "key.pem"),
            "/var/log/nginx/access.log": str(d / "access.log"),
            "http://web:8000": f"http://127.0.0.1:{self.upstream_port}",
        }
        site = (self.PROXY / "site.conf").read_text()
        for old, new in replacements.items():
            assert old in site, f"deploy/proxy/site.conf no longer has {old!r}"
            site = site.replace(old, new)
        return site


class TricklingNode(Server):
    """A memcached node gone wrong: it accepts connections and answers every command one byte
    at a time, every ``interval`` seconds, never reaching the end. Each byte arrives within a
    client's poll timeout, so a client that only times out waits as long as it trickles."""

    def __init__(self, interval=0.2, seconds=8):
        self.interval, self.seconds = interval, seconds
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self):
        self.listener.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:  # the timeout, or the listener closed by stop()
                continue
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection):
        deadline = time.monotonic() + self.seconds
        with connection, contextlib.suppress(OSError):
            connection.recv(4096)
            for byte in itertools.cycle(b"STAT pid 1\r\n"):
                if self.stopping.is_set() or time.monotonic() > deadline:
                    break
                connection.sendall(bytes([byte]))
                time.sleep(self.interval)

    def stop(self):
        self.stopping.set()
        self.listener.close()


class SMTPServer(Server):
    """An SMTP server on loopback (aiosmtpd) that keeps what it receives, for the tests that
    follow a password reset email to its link."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def wait_for(self, count=1):
        """Return the messages once ``count`` have arrived."""
        return wait_for(
            lambda: self.messages, lambda messages: len(messages) >= count, what=f"{count} emails"
        )


class SentryServer(Server):
    """An HTTP server on loopback that takes what sentry-sdk sends to a DSN naming it, and
    keeps it: the raw bodies, and the events they carry (``wait_for``)."""

    PROJECT_ID = "1"

    def __init__(self):
        import http.server

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                received.append((self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def dsn(self):
        return f"http://public-key@127.0.0.1:{self.port}/{self.PROJECT_ID}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        """The events of every envelope received (an envelope: JSON lines, header first)."""
        found = []
        for _path, _headers, body in self.received:
            items = body.split(b"\n")[1:]  # each item: its header line, its payload line
            for item_header, payload in zip(items[0::2], items[1::2], strict=False):
                with contextlib.suppress(ValueError):
                    if json.loads(item_header).get("type") == "event":
                        found.append(json.loads(payload))
        return found

    def wait_for(self, count=1):
        """Return the events once ``count`` have arrived."""
        return wait_for(self.events, lambda events: len(events) >= count, what=f"{count} events")

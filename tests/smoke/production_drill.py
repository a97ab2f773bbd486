"""Fault drills against docker-compose.production.yml, under load, over HTTPS through the proxy.

Usage: production_drill.py HTTPS_PORT CAFILE DEMO_PASSWORD -- COMPOSE_COMMAND...

Signed-in clients load /account/ (a session, a database query), first undisturbed (every
replica must serve them, signed in, and count them on its /metrics; one request's id is
followed from the proxy's log to a replica's JSON lines). A secret feed address, escaped too,
and a password reset link are read through the proxy, and no service's log may hold either
(nor the demo password); the proxy must refuse the probes and close a Host it does not serve.
Then the clients load /account/ while, in turn:
1. every web replica is restarted, one after the other (a rolling restart);
2. one objects node is stopped for 10 s;
3. one sessions node is stopped for 10 s;
4. the other sessions node, then the other objects node, is replaced as Kubernetes moves a pod:
   a new empty container under the same name at a new address (a placeholder holds the old
   one); no request may fail, every session made before must stay signed in, and new
   sign-ins must succeed;
5. PostgreSQL is stopped for 10 s.
Prints each drill's figures, as the loopback drills do, and exits non-zero when a promise is
broken: a failed request in the rolling restart, a 5xx or a signed-out session with a node
down or replaced, a 500 with the database down, no recovery after.
Standard library only: it runs with the machine's python3, as the other smoke checks do.
"""

import collections
import http.client
import json
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

CLIENTS = 6
OUTAGE_SECONDS = 10
SIGNED_IN = "Signed in as <strong>alice</strong>"


class Client:
    """One browser: a keep-alive HTTPS connection to the proxy and its cookies."""

    def __init__(self, port, context, host="localhost"):
        self.port, self.context, self.host = port, context, host
        self.cookies = {}
        self.connection = None
        self.headers = None  # of the last response

    def request(self, method, path, body=None, headers=None):
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        for attempt in (1, 2):  # a keep-alive connection the proxy closed: once more
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    "127.0.0.1", self.port, context=self.context, timeout=40
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode(errors="replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        self.headers = response.headers
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def try_sign_in(self, password):
        """Sign in as alice; return the answer's status (302 when it worked)."""
        self.request("GET", "/accounts/login/")
        body = urllib.parse.urlencode(
            {
                "username": "alice",
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://localhost:{self.port}/accounts/login/",
            },
        )
        return status if "sessionid" in self.cookies else -status

    def sign_in(self, password):
        if (status := self.try_sign_in(password)) != 302:
            sys.exit(f"drill: signing in answered {status}")
        return self


class Load:
    """The clients polling /account/ until stopped; what each answer was, per client."""

    def __init__(self, clients):
        self.clients = clients
        self.statuses = collections.Counter()
        self.errors = 0
        self.signed_out = collections.Counter()  # per client index
        self.running = True
        self.threads = [threading.Thread(target=self.poll, args=(n,)) for n in range(len(clients))]

    def poll(self, index):
        client = self.clients[index]
        while self.running:
            try:
                status, text = client.request("GET", "/account/")
            except OSError:
                self.errors += 1
                time.sleep(0.1)
                continue
            self.statuses[status] += 1
            if (status == 200 and SIGNED_IN not in text) or status == 302:
                self.signed_out[index] += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()

    def summary(self):
        return (
            f"{sum(self.statuses.values())} requests from {len(self.clients)} signed-in clients; "
            f"statuses {dict(sorted(self.statuses.items()))}; connection errors {self.errors}; "
            f"answers showing a signed-out user {sum(self.signed_out.values())}"
        )


def compose(*args):
    return subprocess.run([*COMPOSE, *args], check=True, capture_output=True, text=True).stdout


def container(service):
    """The one container of ``service``."""
    return compose("ps", "-q", service).strip()


def wait_healthy(container_id, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = subprocess.run(
            ["docker", "inspect", "--format", "{{.State.Health.Status}}", container_id],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        if state == "healthy":
            return
        time.sleep(0.5)
    sys.exit(f"drill: {container_id[:12]} not healthy after {seconds} s")


def holds(service, key):
    """Whether the memcached of ``service`` holds ``key`` (asked from inside its container)."""
    script = f"exec 3<>/dev/tcp/127.0.0.1/11211; printf 'get {key}\\r\\nquit\\r\\n' >&3; cat <&3"
    command = [*COMPOSE, "exec", "-T", service, "bash", "-c", script]
    reply = subprocess.run(command, check=True, capture_output=True).stdout  # a pickle: bytes
    return f"VALUE {key} ".encode() in reply


FAILURES = []


def promise(condition, message):
    print(f"  {'ok  ' if condition else 'FAIL'} {message}")
    if not condition:
        FAILURES.append(message)


def signed_in_clients(port, context, password):
    return [Client(port, context).sign_in(password) for _ in range(CLIENTS)]


def drill_replicas(clients):
    print("\n[sessions across the web replicas]")
    replicas = compose("ps", "-q", "web").split()
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    with Load(clients) as load:
        time.sleep(5)
    served = {}
    for replica in replicas:
        log = subprocess.run(
            ["docker", "logs", "--since", since, replica],
            capture_output=True,
            text=True,
            check=True,
        )
        served[replica[:12]] = sum(  # the JSON access lines (LOG_FORMAT=json)
            line.get("http", {}).get("path") == "/account/"
            for line in json_lines(log.stdout + log.stderr)
        )
    print(f"  {load.summary()}")
    print(f"  answered by each replica: {', '.join(str(n) for n in served.values())}")
    promise(
        len(replicas) == 3 and all(served.values()), "every replica served the signed-in clients"
    )
    promise(not load.signed_out and set(load.statuses) == {200}, "every answer signed in")


def logs(container_id):
    log = subprocess.run(
        ["docker", "logs", container_id], capture_output=True, text=True, check=True
    )
    return log.stdout + log.stderr


def json_lines(text):
    for line in text.splitlines():
        if line.startswith("{"):
            yield json.loads(line)


METRICS = """
import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:8000/metrics", timeout=5).read().decode())
"""


def drill_operations(port, context):
    print("\n[operations: one request followed by its id; each replica's metrics]")
    client = Client(port, context)
    status, _ = client.request("GET", "/feeds/")
    request_id = client.headers.get("X-Request-ID", "")
    promise(
        status == 200 and re.fullmatch(r"[0-9a-f]{32}", request_id) is not None,
        f"the proxy's id comes back in X-Request-ID ({request_id})",
    )
    replicas = compose("ps", "-q", "web").split()
    # Access lines are written after the response: wait for the proxy's, then a replica's.
    wait_for_line(container("proxy"), f"request_id={request_id}")
    any(wait_for_line(replica, request_id, seconds=5) for replica in replicas)
    carrying = [
        line
        for replica in replicas
        for line in json_lines(logs(replica))
        if line.get("request_id") == request_id
    ]
    promise(
        [line["logger"] for line in carrying] == ["gunicorn.access"]
        and carrying[0]["http"]["path"] == "/feeds/",
        "one replica's JSON access line carries it",
    )
    promise(
        f"request_id={request_id}" in logs(container("proxy")), "so does the proxy's access line"
    )
    status, _ = client.request("GET", "/metrics")
    promise(status == 404, f"/metrics is not served through the proxy (got {status})")
    counted = []
    for replica in replicas:
        scrape = subprocess.run(
            ["docker", "exec", replica, "python", "-c", METRICS],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        counted.append(
            sum(
                float(value)
                for value in re.findall(
                    r'^site_responses_total\{status="200",view="account"\} (\S+)$', scrape, re.M
                )
            )
        )
    print(f"  /account/ answers counted on each replica's /metrics: {counted}")
    promise(all(counted), "every replica's /metrics counts what it served")


RESET_URL_FOR_BOB = """
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
bob = get_user_model().objects.get(username="bob")
uid = urlsafe_base64_encode(force_bytes(bob.pk))
print(f"/accounts/reset/{uid}/{default_token_generator.make_token(bob)}/")
"""


def in_a_replica(*command):
    replica = compose("ps", "-q", "web").split()[0]
    return subprocess.run(
        ["docker", "exec", replica, *command], capture_output=True, text=True, check=True
    ).stdout.strip()


def wait_for_line(container_id, text, seconds=30):
    """Wait until the container's log holds ``text``: access lines follow the response."""
    deadline = time.monotonic() + seconds
    while text not in logs(container_id):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def drill_log_hygiene(port, context, password):
    print("\n[secrets through the proxy; what the proxy refuses; what every log holds]")
    address = in_a_replica(
        "python", "manage.py", "feed_url", "alice", "--feed", "members",
        "--site-url", "https://localhost",
    )  # fmt: skip
    path = address.removeprefix("https://localhost")
    secret = path.split("/")[3]
    reset = in_a_replica("python", "manage.py", "shell", "--no-imports", "-c", RESET_URL_FOR_BOB)
    token = reset.split("/")[4]
    client = Client(port, context)
    answers = [
        client.request("GET", path, headers={"Referer": address})[0],
        client.request("GET", path.replace("/feed_", "/feed%5F"))[0],  # Django decodes it
        client.request("GET", reset)[0],
    ]
    last_id = client.headers.get("X-Request-ID", "")
    promise(
        answers == [200, 200, 302], f"the address, escaped too, and the reset link work ({answers})"
    )
    for probe in ("/readyz", "/healthz"):  # /metrics: drill_operations
        status = client.request("GET", probe)[0]
        promise(status == 404, f"{probe} is not served through the proxy (got {status})")
    stranger = Client(port, context, host="attacker.example")
    try:
        closed = f"answered {stranger.request('GET', '/feeds/')[0]}"
    except (http.client.HTTPException, OSError):  # 444: the connection closed, no answer
        closed = "closed"
    promise(closed == "closed", f"a Host the site does not serve is closed unanswered ({closed})")
    replicas = compose("ps", "-q", "web").split()
    promise(
        wait_for_line(container("proxy"), f"request_id={last_id}")
        and any(wait_for_line(replica, last_id, seconds=5) for replica in replicas),
        "the proxy and a replica logged the reset link's request",
    )
    everything = compose("logs", "--no-color")  # every service, the one-shot ones included
    leaked = [
        name
        for name, value in (
            ("the secret address", secret[5:]),
            ("the reset token", token),
            ("the demo password", password),
        )
        if value in everything
    ]
    promise(leaked == [], f"no service's log holds a secret (found: {leaked or 'none'})")
    promise(
        "attacker.example" not in "".join(logs(replica) for replica in replicas),
        "the stranger's Host never reached a replica",
    )


def drill_rolling_restart(clients):
    print("\n[rolling restart of the web replicas, one after the other]")
    replicas = compose("ps", "-q", "web").split()
    started = time.monotonic()
    with Load(clients) as load:
        time.sleep(2)
        for replica in replicas:
            subprocess.run(
                ["docker", "restart", "--time", "35", replica], check=True, capture_output=True
            )
            wait_healthy(replica)
        time.sleep(2)
    print(f"  {len(replicas)} replicas restarted in {time.monotonic() - started:.0f} s")
    print(f"  {load.summary()}")
    failed = load.errors + sum(n for status, n in load.statuses.items() if status != 200)
    promise(failed == 0, f"0 failed requests (got {failed})")
    promise(not load.signed_out, "nobody signed out")


#: Where a session lives in the sessions cluster, by engine (the cached_db engine's first).
SESSION_KEY_PREFIXES = (
    "sessions:1:django.contrib.sessions.cached_db",
    "sessions:1:django.contrib.sessions.cache",
)


def held_by(service, client):
    return any(
        holds(service, prefix + client.cookies["sessionid"]) for prefix in SESSION_KEY_PREFIXES
    )


def drill_node(service, clients, *, sessions):
    print(f"\n[{service} stopped {OUTAGE_SECONDS} s under load]")
    on_stopped = {n for n, client in enumerate(clients) if sessions and held_by(service, client)}
    with Load(clients) as load:
        time.sleep(2)
        compose("stop", service)
        time.sleep(OUTAGE_SECONDS)
        compose("start", service)
        wait_healthy(container(service))
        time.sleep(2)
    print(f"  {load.summary()}")
    if sessions:
        print(f"  sessions on the stopped node: {len(on_stopped)} of {len(clients)}")
    server_errors = sum(n for status, n in load.statuses.items() if status >= 500)
    promise(server_errors == 0, f"no 5xx (got {server_errors})")
    # The sessions engine keeps them in the database too (docker-compose.production.yml).
    promise(not load.signed_out, "nobody signed out")
    promise(load.errors == 0, f"no connection errors (got {load.errors})")


def address_of(container_id):
    """``(network, address)`` of a container on its one network."""
    found = subprocess.run(
        ["docker", "inspect", "--format",
         "{{range $name, $net := .NetworkSettings.Networks}}{{$name}} {{$net.IPAddress}}{{end}}",
         container_id],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return found[0], found[1]


def drill_replace(service, clients, password):
    """Replace a node as Kubernetes moves a pod: the same name, a new empty container at a new
    address, the old address held by a placeholder that answers nothing meanwhile."""
    print(f"\n[{service} replaced under load: empty, at a new address, under the same name]")
    old = container(service)
    network, old_address = address_of(old)
    image = subprocess.run(
        ["docker", "inspect", "--format", "{{.Config.Image}}", old],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    on_it = sum(held_by(service, client) for client in clients) if "sessions" in service else 0
    with Load(clients) as load:
        time.sleep(2)
        compose("rm", "--force", "--stop", service)
        placeholder = subprocess.run(
            ["docker", "run", "--detach", "--network", network, "--ip", old_address,
             "--entrypoint", "sleep", image, "300"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        compose("up", "--detach", "--no-deps", service)
        wait_healthy(container(service))
        _network, new_address = address_of(container(service))
        time.sleep(2)
        # Sign-ins right after, from browsers of their own.
        sign_ins = collections.Counter(
            Client(clients[0].port, clients[0].context).try_sign_in(password) for _ in range(5)
        )
        time.sleep(2)
    subprocess.run(["docker", "rm", "--force", placeholder], capture_output=True, check=True)
    print(f"  {old_address} -> {new_address}; the old address held meanwhile")
    print(f"  {load.summary()}")
    if "sessions" in service:
        print(f"  sessions on the replaced node: {on_it} of {len(clients)}")
    print(f"  sign-ins right after: {dict(sign_ins)}")
    failed = load.errors + sum(n for status, n in load.statuses.items() if status != 200)
    promise(new_address != old_address, "the node came back at a new address")
    promise(failed == 0, f"0 failed requests (got {failed})")
    promise(not load.signed_out, "every session made before stayed signed in")
    promise(sign_ins == {302: 5}, "new sign-ins succeed")


def drill_database(clients):
    print(f"\n[PostgreSQL stopped {OUTAGE_SECONDS} s under load]")
    with Load(clients) as load:
        time.sleep(2)
        compose("stop", "postgres")
        stopped = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        compose("start", "postgres")
        wait_healthy(container("postgres"))
        back = time.monotonic()
        # A browser of its own with the first client's cookies: a connection is not shared.
        probe = Client(clients[0].port, clients[0].context)
        probe.cookies = dict(clients[0].cookies)
        recovered = None
        while recovered is None and time.monotonic() < back + 30:
            if probe.request("GET", "/account/")[0] == 200:
                recovered = time.monotonic() - back
            else:
                time.sleep(0.2)
        time.sleep(2)
    print(f"  {load.summary()}")
    print(f"  down for {back - stopped:.1f} s; pages back {recovered or 0:.1f} s after it was")
    promise(load.statuses[500] == 0, f"no 500 (got {load.statuses[500]})")
    promise(load.statuses[503] > 0, f"503s while it was down (got {load.statuses[503]})")
    promise(recovered is not None, "full recovery")


def main(port, cafile, password):
    context = ssl.create_default_context(cafile=cafile)
    drill_replicas(signed_in_clients(port, context, password))
    drill_operations(port, context)
    drill_log_hygiene(port, context, password)
    drill_rolling_restart(signed_in_clients(port, context, password))
    drill_node("memcached-objects-1", signed_in_clients(port, context, password), sessions=False)
    drill_node("memcached-sessions-1", signed_in_clients(port, context, password), sessions=True)
    for service in ("memcached-sessions-2", "memcached-objects-2"):
        drill_replace(service, signed_in_clients(port, context, password), password)
    drill_database(signed_in_clients(port, context, password))
    if FAILURES:
        sys.exit(f"\ndrill: {len(FAILURES)} promise(s) broken")
    print("\ndrill: every promise kept")


if __name__ == "__main__":
    separator = sys.argv.index("--")
    COMPOSE = sys.argv[separator + 1 :]
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])

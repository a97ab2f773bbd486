"""The kind cluster's drill: `make kind-drill`, after `make kind-up` (docs/kubernetes.md).

Through http://localhost:8000 (the kind overlay's NodePort, mapped by its cluster.yaml):
1. alice signs in, and her account page says so; a feed reader reads the members feed with
   HTTP Basic;
2. one objects memcached pod, then one sessions memcached pod, is deleted and comes back empty
   at a new address, while signed-in clients load /account/ and the web Service's endpoints
   are watched: 0 failed requests, never a moment without a ready web pod (a node away is not
   a reason to leave the Service: ops/health.py), alice still signed in, signing in works;
3. signed-in clients load /account/ while one web pod is deleted: 0 failed requests;
4. the NetworkPolicies are enforced: a pod of another namespace reaches the web pods but not
   memcached or PostgreSQL, which a web pod reaches.
Every failure counts, from every thread: a refused connection, a response cut short, an
exception of any kind. Prints the figures and exits non-zero when a promise is broken.
Standard library only, and kubectl on the PATH; every call names the cluster's context
(KIND_CONTEXT, which make kind-drill sets), never the current one.
"""

import base64
import http.client
import http.cookiejar
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

SITE = "http://localhost:8000"
CONTEXT = os.environ.get("KIND_CONTEXT", "kind-refsite")
NAMESPACE = "refsite"
PASSWORD = "kind-demo-password"  # overlays/kind/kustomization.yaml
SIGNED_IN = "Signed in as <strong>alice</strong>"
CLIENTS = 4
#: How long the load goes on once a deleted pod is back: past two readiness probes (5 s
#: apart) and the resolver's memory of the name that did not resolve meanwhile.
SETTLE_SECONDS = 15
FAILURES = []


def kubectl(*args, namespace=NAMESPACE, stdin=None):
    command = ["kubectl", "--context", CONTEXT, "-n", namespace, *args]
    return subprocess.run(
        command, check=True, capture_output=True, text=True, input=stdin, timeout=300
    ).stdout


def promise(condition, message):
    print(f"  {'ok  ' if condition else 'FAIL'} {message}")
    if not condition:
        FAILURES.append(message)


class Browser:
    """Cookies kept, redirects followed. A request that gets no answer (refused, reset, cut
    short) is status None with the error as its text: a failure to count, never an escape."""

    def __init__(self, site=SITE):
        self.site = site
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.site + path, data=data, headers=headers or {})  # noqa: S310 - http://localhost
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            return None, f"{type(error).__name__}: {error}"

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def sign_in(self, username="alice"):
        """Sign in through the form; return whether the site says so."""
        self.get("/accounts/login/")
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if token is None:  # no form: a 503 page, or no answer
            return False
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        self.request("/accounts/login/", body, {"Referer": self.site + "/accounts/login/"})
        return self.signed_in(username)

    def signed_in(self, username="alice"):
        status, text = self.get("/account/")
        return status == 200 and f"Signed in as <strong>{username}</strong>" in text


class Load:
    """Signed-in clients loading /account/ in threads until stopped; every answer counted,
    and every way a thread can fail counted as a failure of its own."""

    def __init__(self, clients):
        self.clients = clients
        self.answers = Counter()
        self.errors = Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._poll, args=(c,)) for c in clients]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _poll(self, client):
        while not self.stopping.is_set():
            try:
                ok = client.signed_in()
            except Exception as error:  # noqa: BLE001 - whatever it is, it is a failure
                ok = False
                self._error(f"{type(error).__name__}: {error}")
            with self.lock:
                self.answers[ok] += 1

    def _error(self, text):
        with self.lock:
            self.errors[text] += 1

    def failed(self):
        """Failed requests, plus one for each thread that did not end when told to."""
        return self.answers[False] + sum(thread.is_alive() for thread in self.threads)

    def report(self, what):
        total = self.answers[True] + self.answers[False]
        print(f"  {total} requests from {len(self.clients)} signed-in clients; "
              f"{self.failed()} failed")  # fmt: skip
        for error, count in self.errors.most_common(5):
            print(f"    {count} x {error}")
        promise(total > 0 and self.failed() == 0, f"0 failed requests {what}")


class Endpoints:
    """The web Service's ready endpoints, sampled every half second in a thread."""

    def __init__(self):
        self.counts = []
        self.errors = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.thread.join(timeout=60)

    def _watch(self):
        while not self.stopping.is_set():
            try:
                self.counts.append(ready_web_endpoints())
            except Exception as error:  # noqa: BLE001 - an unanswered sample is not a pass
                self.errors.append(f"{type(error).__name__}: {error}")
            time.sleep(0.5)

    def report(self):
        fewest = min(self.counts, default=0)
        print(f"  {len(self.counts)} samples of the web Service: at least {fewest} ready "
              f"endpoint(s) throughout; {len(self.errors)} samples failed")  # fmt: skip
        promise(fewest > 0 and not self.errors, "the web Service kept ready endpoints")


def ready_web_endpoints():
    states = kubectl(
        "get",
        "endpointslices",
        "-l",
        "kubernetes.io/service-name=web",
        "-o",
        "jsonpath={range .items[*].endpoints[*]}{.conditions.ready}{'\\n'}{end}",
    )
    return states.split().count("true")


def wait_ready(kind, name, seconds=180):
    kubectl("rollout", "status", f"{kind}/{name}", f"--timeout={seconds}s")


def signed_in_clients():
    clients = [Browser() for _ in range(CLIENTS)]
    signed_in = sum(client.sign_in() for client in clients)
    promise(signed_in == CLIENTS, f"{signed_in} of {CLIENTS} clients signed in")
    return clients


def drill_users():
    print("\n[a member signs in; a reader reads the members feed with Basic]")
    alice = Browser()
    promise(alice.sign_in(), "alice is signed in")
    basic = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    status, feed = Browser().get("/feeds/members.rss", {"Authorization": f"Basic {basic}"})
    promise(status == 200 and "<rss" in feed, f"the members feed over Basic answers {status}")
    return alice


def drill_memcached_pods(alice):
    for cluster in ("objects", "sessions"):
        print(f"\n[a {cluster} memcached pod deleted under signed-in load; it comes back empty]")
        clients = signed_in_clients()
        with Endpoints() as endpoints, Load(clients) as load:
            time.sleep(3)
            started = time.monotonic()
            kubectl("delete", "pod", f"memcached-{cluster}-0", "--wait=true")
            wait_ready("statefulset", f"memcached-{cluster}")
            print(f"  memcached-{cluster}-0 back in {time.monotonic() - started:.0f} s")
            time.sleep(SETTLE_SECONDS)
        load.report(f"while memcached-{cluster}-0 was away")
        endpoints.report()
        promise(alice.signed_in(), "alice is still signed in")
        promise(Browser().sign_in(), "a new sign-in works")


def drill_web_pod():
    print("\n[a web pod deleted under signed-in load]")
    clients = signed_in_clients()
    with Load(clients) as load:
        time.sleep(3)
        pod = kubectl(
            "get",
            "pods",
            "-l",
            "app.kubernetes.io/component=web",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        )
        started = time.monotonic()
        kubectl("delete", "pod", pod, "--wait=true")
        wait_ready("deployment", "web")
        print(f"  {pod} deleted and replaced in {time.monotonic() - started:.0f} s")
        time.sleep(3)
    load.report("while a web pod was replaced")


#: Run in a pod: try each "host:port" for 3 s, print {target: "open" or the error's name}.
REACH = """
import json, socket, sys
found = {}
for target in sys.argv[1:]:
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
        found[target] = "open"
    except OSError as error:
        found[target] = type(error).__name__
print(json.dumps(found))
"""
WEB = f"web.{NAMESPACE}.svc:8000"
GUARDED = [
    f"memcached-objects-0.memcached-objects.{NAMESPACE}.svc:11211",
    f"memcached-sessions-0.memcached-sessions.{NAMESPACE}.svc:11211",
    f"postgres.{NAMESPACE}.svc:5432",
]
INTRUDER = "refsite-intruder"
RESTRICTED = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


def intruder_pod():
    """A pod of the default namespace (no policies there: it may connect anywhere), labelled
    as the site's own, to show that labels from elsewhere open nothing."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": INTRUDER,
            "labels": {"app.kubernetes.io/name": "refsite", "app.kubernetes.io/component": "web"},
        },
        "spec": {
            "restartPolicy": "Never",
            "automountServiceAccountToken": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": 10001,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [
                {
                    "name": "reach",
                    "image": "refsite-web:kind",  # loaded on the node by make kind-up
                    "imagePullPolicy": "IfNotPresent",
                    "command": ["python", "-c", REACH, WEB, *GUARDED],
                    "securityContext": RESTRICTED,
                }
            ],
        },
    }


def drill_network_policies():
    print("\n[the NetworkPolicies: memcached and PostgreSQL take the site's pods only]")
    kubectl("delete", "pod", INTRUDER, "--ignore-not-found", "--wait=true", namespace="default")
    kubectl("create", "-f", "-", namespace="default", stdin=json.dumps(intruder_pod()))
    try:
        kubectl(
            "wait",
            "--for=jsonpath={.status.phase}=Succeeded",
            f"pod/{INTRUDER}",
            "--timeout=120s",
            namespace="default",
        )
        outside = json.loads(kubectl("logs", INTRUDER, namespace="default"))
    except (subprocess.SubprocessError, ValueError) as error:  # it never ran, or said nothing
        promise(False, f"the pod of another namespace reported what it reached ({error})")
        return
    finally:
        kubectl("delete", "pod", INTRUDER, "--wait=false", namespace="default")
    print(f"  from a pod of another namespace: {outside}")
    promise(outside[WEB] == "open", "it reaches the web pods (so it has a network)")
    for target in GUARDED:
        promise(outside[target] != "open", f"it cannot reach {target}")
    inside = json.loads(kubectl("exec", "deployment/web", "-c", "web", "--",
                                "python", "-c", REACH, *GUARDED))  # fmt: skip
    print(f"  from a web pod: {inside}")
    for target in GUARDED:
        promise(inside[target] == "open", f"a web pod reaches {target}")


def main():
    alice = drill_users()
    drill_memcached_pods(alice)
    drill_web_pod()
    drill_network_policies()
    if FAILURES:
        sys.exit(f"\nkind drill: {len(FAILURES)} promise(s) broken")
    print("\nkind drill: every promise kept")


if __name__ == "__main__":
    main()

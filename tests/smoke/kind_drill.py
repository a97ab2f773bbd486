"""The kind cluster's drill: `make kind-drill`, after `make kind-up` (docs/kubernetes.md).

Through http://localhost:8000 (the kind overlay's NodePort, mapped by its cluster.yaml):
1. alice signs in, and her account page says so;
2. a feed reader reads the members feed with HTTP Basic;
3. one objects memcached pod, then one sessions memcached pod, is deleted and comes back empty
   at a new address: alice is still signed in (the cached_db engine), and signing in works;
4. signed-in clients load /account/ while one web pod is deleted: 0 failed requests.
Prints the figures and exits non-zero when a promise is broken. Standard library only, and
kubectl on the PATH with the cluster as its context.
"""

import base64
import http.cookiejar
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SITE = "http://localhost:8000"
NAMESPACE = "refsite"
PASSWORD = "kind-demo-password"  # overlays/kind/kustomization.yaml
SIGNED_IN = "Signed in as <strong>alice</strong>"
CLIENTS = 4
FAILURES = []


def kubectl(*args):
    command = ["kubectl", "-n", NAMESPACE, *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def promise(condition, message):
    print(f"  {'ok  ' if condition else 'FAIL'} {message}")
    if not condition:
        FAILURES.append(message)


class Browser:
    """Cookies kept, redirects followed."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path, headers=None):
        request = urllib.request.Request(SITE + path, headers=headers or {})  # noqa: S310 - http://localhost
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self, username="alice"):
        self.get("/accounts/login/")
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        referer = {"Referer": SITE + "/accounts/login/"}
        request = urllib.request.Request(SITE + "/accounts/login/", data=body, headers=referer)  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            response.read()
        return self

    def signed_in(self):
        status, text = self.get("/account/")
        return status == 200 and SIGNED_IN in text


def wait_ready(kind, name, seconds=180):
    kubectl("rollout", "status", f"{kind}/{name}", f"--timeout={seconds}s")


def drill_users():
    print("\n[a member signs in; a reader reads the members feed with Basic]")
    alice = Browser().sign_in()
    promise(alice.signed_in(), "alice is signed in")
    basic = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    status, feed = Browser().get("/feeds/members.rss", {"Authorization": f"Basic {basic}"})
    promise(status == 200 and "<rss" in feed, f"the members feed over Basic answers {status}")
    for cluster in ("objects", "sessions"):
        print(f"\n[a {cluster} memcached pod deleted; it comes back empty, at a new address]")
        kubectl("delete", "pod", f"memcached-{cluster}-0", "--wait=true")
        wait_ready("statefulset", f"memcached-{cluster}")
        promise(alice.signed_in(), "alice is still signed in")
        promise(Browser().sign_in().signed_in(), "a new sign-in works")


def drill_web_pod():
    print("\n[a web pod deleted under signed-in load]")
    clients = [Browser().sign_in() for _ in range(CLIENTS)]
    answers, stop = [], threading.Event()
    lock = threading.Lock()

    def poll(client):
        while not stop.is_set():
            try:
                ok = client.signed_in()
            except OSError as error:  # a refused or reset connection is a failure too
                ok = False
                print(f"  {type(error).__name__}: {error}")
            with lock:
                answers.append(ok)

    threads = [threading.Thread(target=poll, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
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
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"  {pod} deleted and replaced in {time.monotonic() - started:.0f} s")
    failed = answers.count(False)
    print(f"  {len(answers)} requests from {CLIENTS} signed-in clients; {failed} failed")
    promise(len(answers) > 0 and failed == 0, "0 failed requests, nobody signed out")


def main():
    drill_users()
    drill_web_pod()
    if FAILURES:
        sys.exit(f"\nkind drill: {len(FAILURES)} promise(s) broken")
    print("\nkind drill: every promise kept")


if __name__ == "__main__":
    main()

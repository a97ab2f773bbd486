"""Check a running site as the compose smoke tests need: ready, pages read, sign-in works.

Usage: check_site.py BASE_URL PASSWORD demo|empty. "demo": the demo data is there and alice
signs in with PASSWORD; "empty" (SEED_DEMO=false): no entries, and no alice. Standard
library only: runs on a bare machine.
"""

import http.cookiejar
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def check(condition, message):
    if not condition:
        sys.exit(f"check_site: {message}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base_url, password, data):
    check(data in ("demo", "empty"), f"expected demo or empty, not {data!r}")
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect())

    def fetch(path, form=None):
        body = urllib.parse.urlencode(form).encode() if form else None
        try:
            with opener.open(base_url + path, body, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    status, _, body = fetch("/readyz")
    ready = json.loads(body)
    check(status == 200, f"/readyz answered {status}: {body}")
    for alias in ("default", "sessions"):
        states = set(ready["caches"][alias]["nodes"].values())
        check(states == {"up"}, f"cache {alias}: {ready['caches'][alias]}")
    print(f"/readyz 200: {body}")

    status, _, body = fetch("/")
    check(status == 200 and "Sign in</a>" in body, f"home answered {status}")
    print("/ 200 (anonymous)")

    status, _, body = fetch("/entries/")
    has_entries = '<li class="entry">' in body
    check(status == 200, f"/entries/ answered {status}")
    check(has_entries == (data == "demo"), f"/entries/ for the {data} site: {body[:2000]}")
    print(f"/entries/ 200, {'with' if has_entries else 'without'} entries")

    fetch("/accounts/login/")
    csrf = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = {"username": "alice", "password": password, "csrfmiddlewaretoken": csrf}
    status, headers, body = fetch("/accounts/login/", form)
    if data == "empty":
        check(status == 200 and "Please enter a correct username" in body, "alice exists")
        print("sign-in as alice: refused, as the empty site has no alice")
        return
    check(status == 302 and headers["Location"] == "/", f"sign-in answered {status}")
    print("sign-in as alice: 302 to /")

    status, _, body = fetch("/")
    check(status == 200 and "Signed in as <strong>alice</strong>" in body, "not signed in")
    print("/ 200 (signed in as alice)")


if __name__ == "__main__":
    main(*sys.argv[1:])

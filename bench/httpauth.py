"""What a polling feed reader costs, by how it authenticates: ``make bench-httpauth``.

One run against gunicorn on loopback: the members feed fetched with a session cookie, with
Basic credentials and a warm credential cache, with an app password, and with Basic
credentials checked in full every time (the objects cache flushed before each request, so
every poll pays PBKDF2's million iterations). Prints p50 latencies and the ratios to the
session-cookie request.
"""

import sys

import pylibmc
import requests
from served import DEMO_PASSWORD, app_password, p50_ms, served_site, signed_in

REQUESTS = 200
UNCACHED_REQUESTS = 20  # each one costs a full password hash
#: Each reader's goal, as a multiple of the session-cookie poll.
GOALS = {"Basic, warm credential cache": 1.0, "app password": 1.3}


def main():
    with served_site() as site:
        url = f"{site.url}/feeds/members.rss"
        browser = signed_in(site)
        token = app_password(browser, site)
        basic = requests.Session()
        basic.auth = ("alice", DEMO_PASSWORD)
        app = requests.Session()
        app.auth = ("alice", token)
        flusher = pylibmc.Client(
            [site.objects.address], binary=False, behaviors={"tcp_nodelay": True}
        )

        def fetch(session):
            def request():
                response = session.get(url, timeout=30)
                assert response.status_code == 200, response.status_code

            return request

        for session in (browser, basic, app):
            fetch(session)()  # warm connections and the credential cache
        print("measuring...", file=sys.stderr)
        results = {
            "session cookie": p50_ms(fetch(browser), REQUESTS),
            "Basic, warm credential cache": p50_ms(fetch(basic), REQUESTS),
            "app password": p50_ms(fetch(app), REQUESTS),
            "Basic, full check every time": p50_ms(
                fetch(basic), UNCACHED_REQUESTS, before_each=flusher.flush_all
            ),
        }
    baseline = results["session cookie"]
    print(f"\n{'members feed (25 items) via':<32} {'p50 ms':>8} {'x session':>10}")
    for name, ms in results.items():
        print(f"{name:<32} {ms:>8.2f} {ms / baseline:>10.2f}")
    print()
    for name, goal in GOALS.items():
        ratio = results[name] / baseline
        verdict = "met   " if ratio <= goal else "MISSED"
        print(f"{verdict}  {name} <= {goal} x session cookie: {ratio:.2f}")


if __name__ == "__main__":
    main()

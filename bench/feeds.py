"""What a feed poll costs: ``make bench-feeds``.

One run against gunicorn on loopback, with 50-item public and members feeds, interleaved so
that the machine's slow and fast spells fall on every line: the public feed, the members feed
signed in with a session cookie, the same through a secret address (no validators: many
readers send none), and a poll that sends the previous answer's ETag (a 304). Prints p50
latencies and the two goals of the members feeds against the public one.
"""

import statistics
import sys
import time

import requests
from served import fill_feeds, served_site, signed_in

ROUNDS = 20
REQUESTS = 10  # per line and round
ITEMS = 50
GOAL = 1.5  # the members feeds' p50 at most this times the public feed's


def timed(request):
    started = time.perf_counter()
    request()
    return (time.perf_counter() - started) * 1000


def main():
    with served_site() as site:
        fill_feeds(site)
        members = f"{site.url}/feeds/members.rss"
        browser = signed_in(site)
        secret = site.manage("feed_url", "alice", "--feed", "members", "--site-url", site.url)
        reader = requests.Session()
        full = browser.get(members, timeout=30)
        assert full.content.count(b"<item>") == ITEMS, full.content.count(b"<item>")
        etag = full.headers["ETag"]

        def expect(session, url, status, **headers):
            def request():
                response = session.get(url, headers=headers, timeout=30)
                assert response.status_code == status, (url, response.status_code)

            return request

        lines = {
            "public feed": expect(reader, f"{site.url}/feeds/latest.rss", 200),
            "members feed, session": expect(browser, members, 200),
            "members feed, secret address": expect(reader, secret.stdout.strip(), 200),
            "members feed, 304 poll": expect(browser, members, 304, **{"If-None-Match": etag}),
        }
        print("measuring...", file=sys.stderr)
        timings = {name: [] for name in lines}
        for _round in range(ROUNDS):
            for name, request in lines.items():
                timings[name] += [timed(request) for _ in range(REQUESTS)]
    p50 = {name: statistics.median(values) for name, values in timings.items()}
    print(f"\n{f'{ITEMS}-item feeds, no validators but the 304':<36} {'p50 ms':>8}")
    for name, ms in p50.items():
        print(f"{name:<36} {ms:>8.2f}")
    print()
    for name in ("members feed, session", "members feed, secret address"):
        ratio = p50[name] / p50["public feed"]
        verdict = "met   " if ratio <= GOAL else "MISSED"
        print(f"{verdict}  {name} <= {GOAL}x the public feed's p50: {ratio:.2f}x")


if __name__ == "__main__":
    main()

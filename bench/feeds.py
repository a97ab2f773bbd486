"""What a feed poll costs when nothing changed: ``make bench-feeds``.

One run against gunicorn on loopback, signed in with a session cookie: the members feed with
50 items rendered in full, against the same request with the validators of the previous
answer (If-None-Match), which the site answers 304 from one query before building anything.
Prints p50 latencies and the ratio.
"""

import sys

from served import fill_feeds, p50_ms, served_site, signed_in

REQUESTS = 200
ITEMS = 50
GOAL = 5.0


def main():
    with served_site() as site:
        fill_feeds(site)
        url = f"{site.url}/feeds/members.rss"
        browser = signed_in(site)
        full = browser.get(url, timeout=30)
        assert full.content.count(b"<item>") == ITEMS, full.content.count(b"<item>")
        etag = full.headers["ETag"]

        def full_render():
            response = browser.get(url, timeout=30)
            assert response.status_code == 200

        def not_modified():
            response = browser.get(url, headers={"If-None-Match": etag}, timeout=30)
            assert response.status_code == 304

        print("measuring...", file=sys.stderr)
        results = {
            f"full render, {ITEMS} items": p50_ms(full_render, REQUESTS),
            "304, validators matched": p50_ms(not_modified, REQUESTS),
        }
    full_ms, poll_ms = results.values()
    print(f"\n{'members feed, session cookie':<32} {'p50 ms':>8}")
    for name, ms in results.items():
        print(f"{name:<32} {ms:>8.2f}")
    ratio = full_ms / poll_ms
    print(f"\n{'met   ' if ratio >= GOAL else 'MISSED'}  304 >= {GOAL:.0f}x cheaper: {ratio:.1f}x")


if __name__ == "__main__":
    main()

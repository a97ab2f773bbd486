"""What a feed poll costs: ``make bench-feeds``.

One run against gunicorn on loopback, with 50-item public and members feeds, interleaved so
that the machine's slow and fast spells fall on every line: the public feed, the members feed
signed in with a session cookie, the same through a secret address (no validators: many
readers send none), and a poll that sends the previous answer's ETag (a 304). Then what
polite polling (feeds.polling, feeds.reader_use) costs the polls of readers: a second site on
the same daemons with the budget off, and, with BENCH_BEFORE=<a checkout of another commit>,
a third serving that tree, each line interleaved across them. Prints p50 latencies and the
goals.
"""

import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from served import DEMO_PASSWORD, app_password, bench_site, fill_feeds, signed_in

ROUNDS = 20
REQUESTS = 10  # per line and round
ITEMS = 50
GOAL = 1.5  # the members feeds' p50 at most this times the public feed's
BUDGET_GOAL = 1.05  # a poll the budget counts, at most this times the same poll without it


def timed(request):
    started = time.perf_counter()
    request()
    return (time.perf_counter() - started) * 1000


def expect(session, url, status, **headers):
    def request():
        response = session.get(url, headers=headers, timeout=30)
        assert response.status_code == status, (url, response.status_code)

    return request


def p50s(lines):
    print("measuring...", file=sys.stderr)
    timings = {name: [] for name in lines}
    for _round in range(ROUNDS):
        for name, request in lines.items():
            timings[name] += [timed(request) for _ in range(REQUESTS)]
    return {name: statistics.median(values) for name, values in timings.items()}


def reader_lines(site):
    """The polls of readers on ``site``, each warm: what polite polling counts."""
    token = app_password(signed_in(site), site)
    by_token, by_password, anyone = requests.Session(), requests.Session(), requests.Session()
    by_token.auth, by_password.auth = ("alice", token), ("alice", DEMO_PASSWORD)
    members = f"{site.url}/feeds/members.rss"
    etag = by_token.get(members, timeout=30).headers["ETag"]
    by_password.get(members, timeout=30)  # the credential cache is warm
    secret = site.manage("feed_url", "alice", "--feed", "members", "--site-url", site.url)
    return {
        "public feed": expect(anyone, f"{site.url}/feeds/latest.rss", 200),
        "members feed, Basic (warm cache)": expect(by_password, members, 200),
        "members feed, app password": expect(by_token, members, 200),
        "members feed, app password, 304": expect(
            by_token, members, 304, **{"If-None-Match": etag}
        ),
        "members feed, secret address": expect(anyone, secret.stdout.strip(), 200),
    }


def main():
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        site, daemons = stack.enter_context(bench_site(tmp / "budget"))
        unbudgeted, _ = stack.enter_context(
            bench_site(tmp / "no-budget", daemons=daemons, DJANGO_FEEDS_POLL_BUDGET="off")
        )
        for each in (site, unbudgeted):
            fill_feeds(each)
        members = f"{site.url}/feeds/members.rss"
        browser = signed_in(site)
        secret = site.manage("feed_url", "alice", "--feed", "members", "--site-url", site.url)
        reader = requests.Session()
        full = browser.get(members, timeout=30)
        assert full.content.count(b"<item>") == ITEMS, full.content.count(b"<item>")
        etag = full.headers["ETag"]
        feed_lines = {
            "public feed": expect(reader, f"{site.url}/feeds/latest.rss", 200),
            "members feed, session": expect(browser, members, 200),
            "members feed, secret address": expect(reader, secret.stdout.strip(), 200),
            "members feed, 304 poll": expect(browser, members, 304, **{"If-None-Match": etag}),
        }
        compared = [("budget", site), ("no budget", unbudgeted)]
        if before := os.environ.get("BENCH_BEFORE"):
            before_site, _ = stack.enter_context(
                bench_site(tmp / "before", daemons=daemons, tree=Path(before))
            )
            fill_feeds(before_site)
            compared.append(("before", before_site))
        per_site = {label: reader_lines(each) for label, each in compared}
        budget_lines = {
            f"{line}, {label}": request
            for line in per_site["budget"]
            for label, lines in per_site.items()
            for request in [lines[line]]
        }
        p50 = p50s(feed_lines)
        budget_p50 = p50s(budget_lines)
    if "--json" in sys.argv:
        print(json.dumps({"feeds": p50, "budget": budget_p50}))
        return
    print(f"\n{f'{ITEMS}-item feeds, no validators but the 304':<44} {'p50 ms':>8}")
    for name, ms in {**p50, **budget_p50}.items():
        print(f"{name:<44} {ms:>8.2f}")
    print()
    for name in ("members feed, session", "members feed, secret address"):
        ratio = p50[name] / p50["public feed"]
        verdict = "met   " if ratio <= GOAL else "MISSED"
        print(f"{verdict}  {name} <= {GOAL}x the public feed's p50: {ratio:.2f}x")
    for name in ("public feed", "members feed, Basic (warm cache)", "members feed, app password"):
        ratio = budget_p50[f"{name}, budget"] / budget_p50[f"{name}, no budget"]
        verdict = "met   " if ratio <= BUDGET_GOAL else "MISSED"
        print(f"{verdict}  {name} with the budget <= {BUDGET_GOAL}x without: {ratio:.2f}x")
    if "members feed, app password, before" in budget_p50:
        for name in sorted({line.rsplit(", ", 1)[0] for line in budget_p50}):
            ratio = budget_p50[f"{name}, budget"] / budget_p50[f"{name}, before"]
            print(f"        {name}, now / before: {ratio:.2f}x")


if __name__ == "__main__":
    main()

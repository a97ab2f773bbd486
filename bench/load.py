"""The site end to end under load: wrk against gunicorn, requests/s and p50/p99 latency
(medians of three short rounds, every scenario once per round).

Run by ``make bench`` (``--json``) or alone. Two gunicorn instances on the same memcached
daemons: one with this project's session engine, one with Django's ``db`` engine, both with
the demo data and 50-item feeds. wrk (Debian's package) runs one thread and a few connections
so that the server keeps most of the machine.
"""

import base64
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
from served import DEMO_PASSWORD, app_password, bench_site, fill_feeds, signed_in

# Short runs, every scenario once per round: slow and fast spells of the machine fall on all.
ROUNDS = 3
SECONDS = 4
CONNECTIONS = 4
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, headers=()):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    latency = {
        percent: float(value) * UNITS[unit]
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", output, re.M)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "bad_responses": int(non_2xx.group(1)) if non_2xx else 0,
    }


def cookie(session):
    return f"Cookie: sessionid={session.cookies['sessionid']}"


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Authorization: Basic {token}"


# Sessions of one user made without the sign-in form (each would cost a password hash): what
# the form's sign-in stores, and the same entry in the user's list.
ADD_SESSIONS = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.test import RequestFactory
from sessions_backend import user_sessions
user = get_user_model().objects.get(username="{username}")
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
for n in range({count}):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    browser = RequestFactory().get(
        "/", HTTP_USER_AGENT=f"Mozilla/5.0 (X11; Linux x86_64; rv:{{n}}.0) Firefox/{{n}}.0",
        REMOTE_ADDR=f"192.0.2.{{n % 250}}",
    )
    user_sessions.add(user.pk, session.session_key, session.get_expiry_age(), browser)
"""
LISTED_SESSIONS = 100


def scenarios(ours, djangos):
    member, member_db = signed_in(ours), signed_in(djangos)
    many = signed_in(ours, "bob")
    ours.manage(
        "shell",
        "--no-imports",
        "-c",
        ADD_SESSIONS.format(username="bob", count=LISTED_SESSIONS - 1),
    )
    listed = many.get(f"{ours.url}/account/sessions/", timeout=10).text
    assert listed.count('<span class="device">') == LISTED_SESSIONS, "bob's sessions are missing"
    token = app_password(member, ours)
    secret_feed = ours.manage("feed_url", "alice", "--feed", "members", "--site-url", ours.url)
    feed = f"{ours.url}/feeds/members.rss"
    etag = member.get(feed, timeout=10).headers["ETag"]
    requests.get(feed, auth=("alice", DEMO_PASSWORD), timeout=30)  # warm the credential cache
    return {
        "anonymous page (/)": (f"{ours.url}/", []),
        "signed-in page, this engine": (f"{ours.url}/account/", [cookie(member)]),
        "signed-in page, Django db engine": (f"{djangos.url}/account/", [cookie(member_db)]),
        "session list, 1 session": (f"{ours.url}/account/sessions/", [cookie(member)]),
        f"session list, {LISTED_SESSIONS} sessions": (
            f"{ours.url}/account/sessions/",
            [cookie(many)],
        ),
        "public feed (50 items)": (f"{ours.url}/feeds/latest.rss", []),
        "members feed (50 items), session": (feed, [cookie(member)]),
        "members feed, Basic (warm cache)": (feed, [basic("alice", DEMO_PASSWORD)]),
        "members feed, app password": (feed, [basic("alice", token)]),
        "members feed, secret address": (secret_feed.stdout.strip(), []),
        "members feed, 304 poll": (feed, [cookie(member), f"If-None-Match: {etag}"]),
    }


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_site(Path(tmp) / "ours") as (ours, daemons),
        bench_site(
            Path(tmp) / "django-db",
            daemons=daemons,
            DJANGO_SETTINGS_MODULE="bench.django_db_sessions",
        ) as (djangos, _daemons),
    ):
        for site in (ours, djangos):
            fill_feeds(site)
        plan, runs = scenarios(ours, djangos), {}
        for round_number in range(ROUNDS):
            print(f"  wrk round {round_number + 1}/{ROUNDS}", file=sys.stderr, flush=True)
            for name, (url, headers) in plan.items():
                runs.setdefault(name, []).append(wrk(url, headers))
    results = {
        name: {
            "requests_per_second": statistics.median(r["requests_per_second"] for r in rounds),
            "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
            "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
            "bad_responses": sum(r["bad_responses"] for r in rounds),
        }
        for name, rounds in runs.items()
    }
    if "--json" in sys.argv:
        print(json.dumps(results))
        return
    print(f"\n{'scenario':<36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, figures in results.items():
        print(
            f"{name:<36} {figures['requests_per_second']:>8.0f} "
            f"{figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f}"
        )


if __name__ == "__main__":
    main()

"""``make bench``: every benchmark in one run, written to docs/benchmarks.md with a chart.

Runs, each in its own process so each configures Django its own way:
1. bench/sessions.py — session engines, load+save per request, each client against its own
   floor: on SQLite with pylibmc and with pymemcache, then on PostgreSQL with pylibmc (the one
   in DATABASE_URL, or a throwaway cluster when PostgreSQL is installed);
2. bench/load.py — the site end to end through gunicorn under wrk;
3. bench/clients.py — pylibmc against pymemcache on the same memcached;
4. bench/devices.py — naming a session's browser: the site's table against ua-parser;
5. bench/feeds.py — feed polls one at a time, and what the poll budget costs them.
Then checks the project's goals, writes docs/benchmarks.md and docs/benchmarks.png, and prints
the goals' verdicts.
"""

import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE_DIR = BENCH.parent
DOCS = BASE_DIR / "docs"
sys.path.insert(0, str(BASE_DIR))

from tests.support.daemons import PostgreSQL  # noqa: E402 - needs the path above


def progress(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(script, **env):
    output = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, str(BENCH / script), "--json"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        sys.exit(f"{script} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


#: The memcached clients the session engines are timed on (MEMCACHED_CLIENT), side by side.
CLIENTS = ("pylibmc", "pymemcache")


def session_engines():
    """On SQLite with each client, then on PostgreSQL with the default (pylibmc)."""
    runs = []
    for client in CLIENTS:
        progress(f"1/5 session engines on SQLite, {client}")
        runs.append(run("sessions.py", MEMCACHED_CLIENT=client))
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")):
        progress("1/5 session engines on DATABASE_URL's PostgreSQL")
        runs.append(run("sessions.py", MEMCACHED_CLIENT="pylibmc"))
    else:
        try:
            postgres = PostgreSQL().start()
        except RuntimeError as exc:
            progress(f"no PostgreSQL run: {exc}")
        else:
            try:
                progress("1/5 session engines on a throwaway PostgreSQL")
                runs.append(
                    run("sessions.py", DATABASE_URL=postgres.url, MEMCACHED_CLIENT="pylibmc")
                )
            finally:
                postgres.stop()
    return runs


def machine():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists() and (match := re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())):
        cpu = match.group(1).strip()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists() and (match := re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())):
        memory = f"{int(match.group(1)) / 1024 / 1024:.0f} GiB"

    def version(command):
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        except FileNotFoundError:
            return "not installed"
        return (result.stdout or result.stderr).strip().splitlines()[0]

    import django
    import pylibmc

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "Memory": memory,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "pylibmc / libmemcached": f"{pylibmc.__version__} / {pylibmc.libmemcached_version}",
        "memcached": version(["memcached", "-V"]),
        "wrk": version(["wrk", "--version"]),
    }


# The members feed before it was rendered once and cached (commit 870fbc7, bench/load.py on
# this machine, 2026-11-29): the reference of its throughput goal.
MEMBERS_FEED_REFERENCE_RPS = 16


def label(run_figures):
    """A session engines run by its database and client: "sqlite, pylibmc"."""
    return f"{run_figures['database']}, {run_figures['client']}"


def goals(engines, load, feeds):
    sqlite = engines[0]["x_django_cache"]
    http = {name: figures for name, figures in load.items()}
    feed = http["members feed (50 items), session"]
    public = http["public feed (50 items)"]
    checks = [
        (
            "This cache engine's load+save ≤ 0.75 × Django's cache engine",
            sqlite["sessions_backend cache"],
            0.75,
            "below",
        ),
        *(
            (
                f"This cache engine's load+save ≤ 1.25 × the raw floor ({label(run_figures)})",
                run_figures["x_floor"]["sessions_backend cache"],
                1.25,
                "below",
            )
            for run_figures in engines
            if run_figures["client"] == "pylibmc" and run_figures["database"] == "sqlite"
        ),
        (
            "A signed-in page ≥ 1.5 × the throughput with Django's db sessions",
            http["signed-in page, this engine"]["requests_per_second"]
            / http["signed-in page, Django db engine"]["requests_per_second"],
            1.5,
            "above",
        ),
        (
            "A warm Basic feed request ≤ 1.0 × the latency of the same feed via session",
            http["members feed, Basic (warm cache)"]["p50_ms"] / feed["p50_ms"],
            1.0,
            "below",
        ),
        (
            "The session list at 100 sessions: p50 ≤ 1.5 × the list at 1",
            http["session list, 100 sessions"]["p50_ms"]
            / http["session list, 1 session"]["p50_ms"],
            1.5,
            "below",
        ),
        (
            "The members feed's p50 ≤ 1.5 × the public feed's",
            feed["p50_ms"] / public["p50_ms"],
            1.5,
            "below",
        ),
        (
            f"The members feed ≥ 5 × the throughput before it was cached "
            f"({MEMBERS_FEED_REFERENCE_RPS} requests/s)",
            feed["requests_per_second"] / MEMBERS_FEED_REFERENCE_RPS,
            5.0,
            "above",
        ),
        (
            "A secret-address feed's p50 ≤ 1.5 × the public feed's",
            http["members feed, secret address"]["p50_ms"] / public["p50_ms"],
            1.5,
            "below",
        ),
    ]
    budget = feeds["budget"]
    checks += [
        (
            f"A warm {reader} feed poll with the poll budget ≤ 1.05 × the same poll without",
            budget[f"members feed, {line}, budget"] / budget[f"members feed, {line}, no budget"],
            1.05,
            "below",
        )
        for reader, line in (("Basic", "Basic (warm cache)"), ("app-password", "app password"))
    ]
    return [
        (name, ratio, limit, ratio <= limit if direction == "below" else ratio >= limit)
        for name, ratio, limit, direction in checks
    ]


def chart(engines, load, clients, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, middle, right) = plt.subplots(
        1, 3, figsize=(17, 6), gridspec_kw={"width_ratios": [1.1, 1.1, 0.8]}
    )
    for run_figures in engines:
        names = list(run_figures["median_us"])
        left.barh(
            [f"{name} [{label(run_figures)}]" for name in names],
            list(run_figures["median_us"].values()),
            alpha=0.85,
        )
    left.set_xlabel("µs per request (load + save; shorter is better)")
    left.set_title("Session engines")
    left.invert_yaxis()

    middle.barh(list(load), [f["requests_per_second"] for f in load.values()], color="#2a7")
    middle.set_xlabel("requests per second through gunicorn (longer is better)")
    middle.set_title("End to end (wrk)")
    middle.invert_yaxis()

    operations = list(next(iter(clients.values())))
    width = 0.38
    for offset, (client, figures) in enumerate(clients.items()):
        right.bar(
            [n + offset * width for n in range(len(operations))],
            [figures[operation] for operation in operations],
            width,
            label=client,
        )
    right.set_xticks(
        [n + width / 2 for n in range(len(operations))],
        [operation.replace(" (20 keys)", "\n(20 keys)") for operation in operations],
    )
    right.set_ylabel("µs per operation (shorter is better)")
    right.set_title("memcached clients")
    right.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def page_goal_note(engines, load):
    """Why the signed-in page goal is out of the engine's reach, in this run's own figures."""
    page = load["signed-in page, this engine"]
    workers = 2
    page_us = workers / page["requests_per_second"] * 1e6  # server time per request
    lines = []
    for run_figures in engines:
        medians = run_figures["median_us"]
        saved = medians["Django db"] - medians["sessions_backend cache"]
        best_case = page_us / max(page_us - saved, 1)
        lines.append(
            f"- On {label(run_figures)}, Django's `db` engine costs {saved:.0f} µs more "
            f"than this one per load+save. A signed-in page costs about {page_us / 1000:.1f} ms "
            f"of server time here ({workers} workers, {page['requests_per_second']:.0f} "
            f"requests/s), so sparing those µs makes it at most {best_case:.2f} × faster (less "
            "still when the page only loads its session, as most do)."
        )
    return [
        "**A signed-in page at 1.5 × the throughput of Django's `db` sessions** is out of a "
        "session engine's reach on this machine: the session is a small part of a page.",
        "",
        *lines,
        "",
        "Reading a session from a local SQLite file costs about what a memcached round trip "
        "does; the engine's gain shows in its own cost (section 1: about a third of Django's "
        "`db` engine on SQLite, and less still on PostgreSQL) and in what SQLite cannot do "
        "at all — several web machines sharing sessions (drill: two web nodes). What would "
        "close the goal: a database on another machine (each session read then pays a network "
        "round trip and a query), sessions written on every request "
        "(`SESSION_SAVE_EVERY_REQUEST`), or pages far lighter than any real one.",
        "",
    ]


def basic_goal_note(load):
    """What a warm Basic poll pays that a session poll does not, in this run's figures."""
    basic = load["members feed, Basic (warm cache)"]["p50_ms"]
    session = load["members feed (50 items), session"]["p50_ms"]
    return [
        "**A warm Basic poll at 1.0 × a session poll** (issue 28): here "
        f"{basic:.2f} ms against {session:.2f} ms. Both make two memcached round trips: "
        "the Basic poll one `get_many` (the throttle's copy, the remembered password and the "
        "rendering: httpauth.read_ahead) and the poll budget's `incr` (feeds.polling; a "
        "session is exempt), the session poll its session and the rendering. The Basic poll "
        "reads its user by name with a statement compiled once (httpauth.users, about 0.02 ms "
        "where the ORM took 0.13 ms, as the session poll's row by id still does), and pays "
        "beside django-axes' lockout check, asked before anything else so that a locked-out "
        "guesser learns nothing: one more query and axes' bookkeeping, about 0.08 ms of a "
        "request (httpauth.lockout_handler), and a credential's small costs (two HMACs, the "
        "header parsed, a signal for the metrics). The check cannot go: answering a warm poll "
        "of a locked-out client would tell a guesser which guess was right. The two sides are "
        "within a few percent of each other, so a noisy run can land either way.",
        "",
    ]


def missed_goal_notes(engines, load, verdicts):
    """A section saying why each goal this run missed is missed, where a note says why."""
    notes = {
        "A signed-in page": lambda: page_goal_note(engines, load),
        "A warm Basic feed request": lambda: basic_goal_note(load),
    }
    parts = [
        line
        for name, _ratio, _limit, met in verdicts
        if not met
        for prefix, note in notes.items()
        if name.startswith(prefix)
        for line in note()
    ]
    return ["## Where a goal is missed", "", *parts] if parts else []


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(info, engines, load, clients, labellers, feeds, verdicts):
    parts = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC), all in one run, so "
        "the ratios compare figures taken on the same machine minutes apart. The machine is shared "
        "and noisy: compare ratios, not absolute figures, and expect ±10 % between runs.",
        "",
        "![Benchmarks](benchmarks.png)",
        "",
        "## Goals",
        "",
        table(
            ["goal", "measured", "verdict"],
            [
                (name, f"{ratio:.2f}", "met" if met else "**missed**")
                for name, ratio, _l, met in verdicts
            ],
        ),
        "",
        "## Machine",
        "",
        table(["", ""], list(info.items())),
        "",
        *missed_goal_notes(engines, load, verdicts),
        "## 1. Session engines: one request that loads and saves a signed-in session",
        "",
        "`bench/sessions.py`: every engine against the same memcached (and database) in each of "
        "41 rounds of 100 requests; the median µs, and ratios taken round by round (paired) "
        "and then their median, so the machine's slow and fast spells cancel out. The floor is "
        "the client's own `get` and `replace` with nothing around them (a plain "
        "`pylibmc.Client`, or pymemcache's `HashClient` on the same ring), timed in the same "
        "rounds. To set a change's before "
        'beside its after in one run, `BENCH_ENGINES="before=module,..." make bench-sessions` '
        "times more engines (modules on `PYTHONPATH`, such as a copy of the engine as landed).",
        "",
    ]
    by_client = [r for r in engines if r["database"] == engines[0]["database"]]
    parts += [
        f"The two clients side by side ({engines[0]['database']}): this project's cache engine, "
        "its floor and Django's cache engine on the same client.",
        "",
        table(
            ["client", "cache engine", "floor", "× floor", "Django cache", "× Django cache"],
            [
                (
                    r["client"],
                    f"{r['median_us']['sessions_backend cache']:.1f} µs",
                    f"{r['median_us'][r['floor']]:.1f} µs",
                    f"{r['x_floor']['sessions_backend cache']:.2f}",
                    f"{r['median_us']['Django cache']:.1f} µs",
                    f"{r['x_django_cache']['sessions_backend cache']:.2f}",
                )
                for r in by_client
            ],
        ),
        "",
    ]
    for run_figures in engines:
        parts += [
            f"Database: **{run_figures['database']}**, client: **{run_figures['client']}** "
            f"(floor: {run_figures['floor']})",
            "",
            table(
                ["engine", "µs/request", "× Django cache", "× floor"],
                [
                    (
                        name,
                        f"{us:.1f}",
                        f"{run_figures['x_django_cache'][name]:.2f}",
                        f"{run_figures['x_floor'][name]:.2f}",
                    )
                    for name, us in run_figures["median_us"].items()
                ],
            ),
            "",
        ]
    writes = engines[0]["writes"]
    steps = list(next(iter(writes.values())))
    parts += [
        "Database writes (`INSERT`, `UPDATE`, `DELETE`) of one sign-in through the form, one page "
        "that leaves the session as it is, and one sign-out, with the site's whole stack "
        "(django-axes, the session lists): what `cached_db`, the production engine, adds to the "
        "cache engine. A page that changes its session adds one `UPDATE` with `cached_db`.",
        "",
        table(["engine", *steps], [(name, *counts.values()) for name, counts in writes.items()]),
        "",
    ]
    parts += [
        "## 2. End to end through gunicorn",
        "",
        "`bench/load.py`: two workers per gunicorn, wrk with one thread and four connections, "
        "on the same machine; the median of three 4-second runs per line, every line once per "
        "round. The signed-in page is `/account/`; the Django-db line "
        "is a second gunicorn with Django's `db` engine (`bench/django_db_sessions.py`). "
        "The public and members feeds hold 50 items each; no request sends validators but the "
        "304 poll's. Every feed is rendered once and served from the objects cache, so a full "
        "poll now costs the server about what a 304 does (the 304 still spares the reader the "
        "bytes): the former goal of a 304 five times cheaper than a full render went with the "
        "render.",
        "",
        table(
            ["scenario", "requests/s", "p50 ms", "p99 ms", "non-2xx/3xx"],
            [
                (
                    name,
                    f"{f['requests_per_second']:.0f}",
                    f"{f['p50_ms']:.2f}",
                    f"{f['p99_ms']:.2f}",
                    f["bad_responses"],
                )
                for name, f in load.items()
            ],
        ),
        "",
        "## 3. memcached clients",
        "",
        "`bench/clients.py`: the sessions cluster's backend under each `MEMCACHED_CLIENT`, with "
        "the site's options (pylibmc, C: Django's `PyLibMCCache`; pymemcache, pure Python, on "
        "libmemcached's ring: `StrictPyMemcacheCache`), and Django's stock `PyMemcacheCache` "
        "(rendezvous hashing) beside them, on the same memcached, through Django's cache API; "
        "the median of 9 rounds of 2000 operations, alternating between the clients.",
        "",
        table(
            ["client", *next(iter(clients.values()))],
            [
                (client, *(f"{us:.1f} µs" for us in figures.values()))
                for client, figures in clients.items()
            ],
        ),
        "",
        "## 4. Feed polls one at a time, and the poll budget",
        "",
        "`bench/feeds.py`: one request at a time through gunicorn (requests, not wrk), every line "
        "once per round, 20 rounds of 10; the p50 of each. The budget lines are two sites on the "
        "same daemons, one with `FEEDS_POLL_BUDGET` counting every poll (and never refusing), "
        "one with it off: an unconditional poll pays one `incr` in the objects cache (and a "
        "poll by app password or secret address one more, counting its use, on both).",
        "",
        table(
            ["poll", "p50 ms"],
            [(name, f"{ms:.2f}") for name, ms in {**feeds["feeds"], **feeds["budget"]}.items()],
        ),
        "",
        "## 5. Naming a session's browser",
        "",
        f"`bench/devices.py`: over the suite's {labellers['agents']} real `User-Agent`s "
        f"({labellers['readers']} of them feed readers and tools), how many labels each "
        "labeller gets right (ua-parser through the adapter in that file), what an uncached "
        "parse costs, and what loading its rules costs a process (docs/sessions_backend.md, "
        '"Labels").',
        "",
        table(
            ["labeller", "right", "readers named", "µs per parse", "load ms", "+ MB"],
            [
                (
                    row["labeller"],
                    row["right"],
                    row["readers_named"],
                    f"{row['us_per_parse']:.1f}",
                    f"{row['load_ms']:.0f}",
                    f"{row['rss_mb']:.0f}",
                )
                for row in labellers["labellers"]
            ],
        ),
        "",
    ]
    return "\n".join(parts)


def main():
    started = time.monotonic()
    engines = session_engines()
    progress("2/5 end to end through gunicorn with wrk (about a minute and a half)")
    load = run("load.py")
    progress("3/5 memcached clients")
    clients = run("clients.py")
    progress("4/5 naming browsers")
    labellers = run("devices.py")
    progress("5/5 feed polls one at a time, with and without the poll budget")
    feeds = run("feeds.py")
    verdicts = goals(engines, load, feeds)
    DOCS.mkdir(exist_ok=True)
    chart(engines, load, clients, DOCS / "benchmarks.png")
    (DOCS / "benchmarks.md").write_text(
        markdown(machine(), engines, load, clients, labellers, feeds, verdicts)
    )
    progress(
        f"wrote docs/benchmarks.md and docs/benchmarks.png in {time.monotonic() - started:.0f} s"
    )
    for name, ratio, limit, met in verdicts:
        print(f"{'met   ' if met else 'MISSED'}  {name}: {ratio:.2f} (goal {limit})")


if __name__ == "__main__":
    main()

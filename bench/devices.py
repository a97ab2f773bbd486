"""Naming a session's browser: the table of sessions_backend.devices against ua-parser, the
well-kept parser (``make bench-devices``).

Over the suite's real User-Agents (tests/sessions_backend/user_agents.py), each with the
label the site should show: how many labels each gets right (ua-parser through the adapter
below, which docs/sessions_backend.md offers to copy), how many of the feed readers and tools
it names, what one uncached parse costs, and what loading its rules costs a process.
"""

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sessions_backend import devices
from tests.sessions_backend.user_agents import AGENTS

ROUNDS = 7
READERS = [(agent, label) for agent, label in AGENTS if " on " not in label]

PLATFORMS = {"Mac OS X": "macOS", "Chrome OS": "ChromeOS", "Ubuntu": "Linux", "FreeBSD": "BSD"}


def ua_parser_label(parse):
    """An adapter to SESSIONS_BACKEND_DEVICE_LABEL: ua-parser's families, named as the site
    names them ("Mobile Safari" on "iOS" on an "iPhone" is "Safari on iPhone")."""

    def label(user_agent):
        result = parse(user_agent)
        browser = result.user_agent.family if result.user_agent else "Other"
        browser = browser.removesuffix(" Mobile").removeprefix("Mobile ").replace(" iOS", "")
        platform = result.os.family if result.os else "Other"
        if platform == "iOS" and result.device:
            platform = result.device.family  # "iPhone", "iPad"
        platform = PLATFORMS.get(platform, platform)
        if browser == "Other":
            return f"A browser on {platform}" if platform != "Other" else devices.UNKNOWN
        return browser if platform == "Other" else f"{browser} on {platform}"

    return label


def max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_parse_us(label):
    timings = []
    for round_number in range(ROUNDS):
        # A suffix no cache has seen: every call parses.
        agents = [f"{agent} r{round_number}" for agent, _ in AGENTS]
        started = time.perf_counter()
        for agent in agents:
            label(agent)
        timings.append((time.perf_counter() - started) / len(agents) * 1e6)
    return statistics.median(timings)


def figures(name, label, load_ms, rss_mb):
    return {
        "labeller": name,
        "right": sum(label(agent) == expected for agent, expected in AGENTS),
        "readers_named": sum(label(agent) == expected for agent, expected in READERS),
        "us_per_parse": per_parse_us(label),
        "load_ms": load_ms,
        "rss_mb": rss_mb,
    }


def main():
    results = [figures("sessions_backend.devices (the table)", devices.label, 0.0, 0.0)]
    import ua_parser
    from ua_parser import regex

    for name, make in (
        (
            "ua-parser, regex resolver (Rust)",
            lambda: regex.Resolver(ua_parser.load_lazy_builtins()),
        ),
        (
            "ua-parser, basic resolver (re)",
            lambda: ua_parser.BasicResolver(ua_parser.load_builtins()),
        ),
    ):
        rss, started = max_rss_mb(), time.perf_counter()
        parser = ua_parser.Parser(make())
        parser.parse(AGENTS[0][0])  # the lazy resolvers compile their rules at first use
        load_ms = (time.perf_counter() - started) * 1000
        rss_mb = max_rss_mb() - rss
        results.append(figures(name, ua_parser_label(parser.parse), load_ms, rss_mb))
    if "--json" in sys.argv:
        print(json.dumps({"agents": len(AGENTS), "readers": len(READERS), "labellers": results}))
        return
    print(f"{len(AGENTS)} User-Agents, {len(READERS)} of them feed readers and tools")
    for row in results:
        print(
            f"{row['labeller']:<40} right {row['right']:>3}  readers {row['readers_named']:>3}  "
            f"{row['us_per_parse']:>8.1f} µs/parse  load {row['load_ms']:>7.0f} ms  "
            f"+{row['rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()

"""Short names for the browsers and feed readers in a session list: "Firefox on Linux",
"Safari on iPhone", "NetNewsWire".

``label(user_agent)`` is the default of SESSIONS_BACKEND_DEVICE_LABEL. It reads an ordered
table, not a parsing library: a label is made once per session (at sign-in, or when its
browser changes) and the table names feed readers, which ua-parser does not (the figures:
docs/sessions_backend.md, "Labels"). Families only, never versions: browsers have frozen
most of theirs (Windows 11 says "Windows NT 10.0", every Mac "10_15_7"), so a version shown
would often be wrong.

``label_of(user_agent)`` calls the configured labeller and never fails: a labeller that
raises leaves the session unlabelled, and signing in goes on.
"""

from __future__ import annotations

import logging
import re

from sessions_backend.conf import resolved

logger = logging.getLogger("sessions_backend")

Table = list[tuple[re.Pattern[str], str]]


def _table(rows: list[tuple[str, str]], flags: int = 0) -> Table:
    """``(pattern, name)`` rows, compiled once; the first that matches names the agent."""
    return [(re.compile(pattern, flags), name) for pattern, name in rows]


#: Programs that name themselves first in their User-Agent, feed readers above all: the
#: name alone is the label (a reader's platform tells its user nothing).
PROGRAMS = _table(
    [
        (r"NetNewsWire", "NetNewsWire"),
        (r"Miniflux", "Miniflux"),
        (r"FreshRSS", "FreshRSS"),
        (r"Feedbin", "Feedbin"),
        (r"Feedly", "Feedly"),
        (r"Inoreader", "Inoreader"),
        (r"newsboat", "Newsboat"),
        (r"Tiny Tiny RSS", "Tiny Tiny RSS"),
        (r"CommaFeed", "CommaFeed"),
        (r"NewsBlur", "NewsBlur"),
        (r"Reeder", "Reeder"),
        (r"ReadKit", "ReadKit"),
        (r"Liferea", "Liferea"),
        (r"QuiteRSS", "QuiteRSS"),
        (r"Akregator", "Akregator"),
        (r"NewsFlash", "NewsFlash"),
        (r"Vienna/", "Vienna"),
        (r"Feeder/|com\.nononsenseapps\.feeder", "Feeder"),
        (r"The Old Reader", "The Old Reader"),
        (r"rss2email", "rss2email"),
        (r"selfoss", "selfoss"),
        (r"python-reader|lemon24/reader", "reader (Python)"),
        (r"feedparser", "feedparser (Python)"),
        (r"^curl/", "curl"),
        (r"^Wget/", "Wget"),
        (r"^python-requests/", "Python requests"),
        (r"^HTTPie/", "HTTPie"),
        (r"^Go-http-client/", "Go HTTP client"),
    ],
    re.IGNORECASE,
)

#: Browsers, most specific first: Edge, Opera and Samsung Internet say "Chrome" too, and
#: Chrome says "Safari".
BROWSERS = _table(
    [
        (r"Thunderbird/", "Thunderbird"),
        (r"Edg(e|A|iOS)?/", "Edge"),
        (r"OPR/|Opera", "Opera"),
        (r"SamsungBrowser/", "Samsung Internet"),
        (r"Vivaldi/", "Vivaldi"),
        (r"YaBrowser/", "Yandex Browser"),
        (r"Firefox/|FxiOS/", "Firefox"),
        (r"HeadlessChrome/", "Headless Chrome"),
        (r"Chrome/|CriOS/|Chromium/", "Chrome"),
        (r"Version/[\d.]+ (Mobile/\w+ )?Safari/", "Safari"),
        (r"MSIE |Trident/", "Internet Explorer"),
    ]
)

#: Platforms, most specific first: an iPhone says "like Mac OS X", Android says "Linux".
PLATFORMS = _table(
    [
        (r"iPhone", "iPhone"),
        (r"iPad", "iPad"),
        (r"Android", "Android"),
        (r"CrOS", "ChromeOS"),
        (r"Windows", "Windows"),
        (r"Macintosh|Mac OS X", "macOS"),
        (r"FreeBSD|OpenBSD|NetBSD", "BSD"),
        (r"Linux|X11", "Linux"),
    ]
)

UNKNOWN = "Unknown browser"
#: A label is a name, not a User-Agent: this much is kept of whatever a labeller returns.
LABEL_LENGTH = 60


def _first(table: Table, user_agent: str) -> str | None:
    return next((name for pattern, name in table if pattern.search(user_agent)), None)


def label(user_agent: str) -> str:
    """The default labeller: "Firefox on Linux", "NetNewsWire", "Unknown browser"."""
    if program := _first(PROGRAMS, user_agent):
        return program
    browser, platform = _first(BROWSERS, user_agent), _first(PLATFORMS, user_agent)
    if browser and platform:
        return f"{browser} on {platform}"
    if browser:
        return browser
    return f"A browser on {platform}" if platform else UNKNOWN


def label_of(user_agent: str) -> str | None:
    """The configured labeller's label, at most LABEL_LENGTH characters; None when it
    fails (logged), so that a sign-in never does."""
    try:
        made = resolved("DEVICE_LABEL")(user_agent)
    except Exception:  # whatever a cloner's labeller raises, the sign-in goes on
        logger.exception("SESSIONS_BACKEND_DEVICE_LABEL failed; the session stays unlabelled")
        return None
    return str(made)[:LABEL_LENGTH] if made else None

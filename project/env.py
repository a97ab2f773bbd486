"""Read the site's configuration from environment variables.

Each reader names the variable and the form it expects when a value is malformed, so a
misconfigured deployment stops at startup with one clear line (see ``manage.py`` and
``gunicorn.conf.py``) instead of failing later, deep inside Django.
"""

import ipaddress
import os
import re
from typing import overload
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

# host:port where host is a DNS name, an IPv4 address or a bracketed IPv6 address.
HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})$")
MAX_PORT = 65535
#: Seconds a PostgreSQL connection attempt may take (env_database says why).
POSTGRES_CONNECT_TIMEOUT = 5


class EnvError(ImproperlyConfigured):
    """An environment variable is missing or malformed."""

    def __init__(self, name, problem, expected):
        super().__init__(f"{name} {problem}; expected {expected}.")


def _raw(name):
    """Return the variable stripped of surrounding blanks, or None when unset or empty.

    Unset, it may come from a file that ``<name>_FILE`` names, as Docker and Kubernetes
    secrets are mounted (docs/deployment.md): the file's content, stripped.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as file:
            value = file.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvError(
            f"{name}_FILE",
            f"is {path!r}, which cannot be read ({exc.__class__.__name__})",
            "the path of a readable text file",
        ) from None
    return value or None


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_required(name, expected, *, unless=False):
    """Return the variable; a missing one is an error unless ``unless`` is true."""
    value = _raw(name)
    if value is None and not unless:
        raise EnvError(name, "is not set", expected)
    return value


def env_bool(name, default):
    value = _raw(name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EnvError(name, f"is {value!r}", "one of true/false, 1/0, yes/no, on/off")


def env_int(name, default, *, minimum=0):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise EnvError(name, f"is {value!r}", f"a whole number >= {minimum}")
    return number


def env_int_pair(name, default):
    """Return two whole numbers >= 1 written "a,b" as a tuple; None for "off"."""
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in FALSE_WORDS:
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) == 2 and all(part.isdigit() and int(part) >= 1 for part in parts):
        return int(parts[0]), int(parts[1])
    raise EnvError(name, f"is {value!r}", "two whole numbers >= 1 such as 12,8, or off")


def env_choice(name, default, choices):
    """Return the variable if it is one of ``choices``."""
    value = env_str(name, default)
    if value not in choices:
        raise EnvError(name, f"is {value!r}", "one of " + ", ".join(choices))
    return value


def env_sentry_dsn(name):
    """Return the variable if sentry-sdk can use it as a DSN; None when unset."""
    value = env_str(name)
    if value is None:
        return None
    from sentry_sdk.utils import BadDsn, Dsn  # only where error reports are wanted

    try:
        Dsn(value)
    except BadDsn as exc:
        # Not the value itself: a DSN carries a key.
        raise EnvError(
            name, f"is not a Sentry DSN ({exc})", "https://<key>@<host>/<project id>"
        ) from None
    return value


def env_list(name, default=()):
    """Return a comma-separated list, blanks around items removed."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_origins(name, default=()):
    """Return a comma-separated list of origins such as ``https://example.com``."""
    origins = env_list(name, default)
    for origin in origins:
        if not _is_origin(origin):
            raise EnvError(
                name, f"contains {origin!r}", "comma-separated origins like https://example.com"
            )
    return origins


def _is_origin(text):
    """A scheme, a host (a port at most after it) and nothing else: ``url_host`` needs one."""
    if not text.startswith(("http://", "https://")) or text.count("/") != 2:
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return False
    return bool(parts.hostname) and not any(character.isspace() for character in text)


def env_networks(name):
    """Return a comma-separated list of IP addresses or networks, such as
    ``10.0.0.5,192.168.0.0/16``, normalised (``10.0.0.5`` becomes ``10.0.0.5/32``)."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError:
            raise EnvError(
                name,
                f"contains {item!r}",
                "comma-separated IP addresses or networks, such as 10.0.0.5,192.168.0.0/16",
            ) from None
    return networks


def env_origin(name):
    """Return one origin such as ``https://example.com``, or None when unset."""
    origins = env_origins(name)
    if len(origins) > 1:
        raise EnvError(name, "names several origins", "one origin, like https://example.com")
    return origins[0] if origins else None


def url_host(origin):
    """The host of an origin as ``ALLOWED_HOSTS`` spells it: no port, IPv6 in brackets."""
    host = urlsplit(origin).hostname
    return f"[{host}]" if ":" in host else host


def env_servers(name, default):
    """Return a memcached cluster: a comma-separated list of ``host:port``."""
    servers = env_list(name, [default])
    if not servers:
        raise EnvError(name, "names no server", "a comma-separated list of host:port")
    for server in servers:
        match = HOST_PORT.match(server)
        if not match or not 0 < int(match["port"]) <= MAX_PORT:
            raise EnvError(
                name,
                f"contains {server!r}",
                "a comma-separated list of host:port, such as 10.0.0.5:11211,10.0.0.6:11211",
            )
    if len(set(servers)) != len(servers):
        raise EnvError(name, "names a server twice", "each host:port once")
    return servers


def env_database(name, default_url):
    """Return a ``DATABASES`` entry parsed from a database URL."""
    url = env_str(name, default_url)
    expected = "a URL such as sqlite:////data/db.sqlite3 or postgres://user:password@host:5432/name"
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except dj_database_url.UnknownSchemeError:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        raise EnvError(name, f"has an unknown scheme {scheme!r}", expected) from None
    except ValueError:
        # The parser's message can echo the URL, password included: say only what is wrong.
        raise EnvError(name, "is not a valid URL (quote special characters)", expected) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            # gunicorn runs several processes against one file: WAL lets readers and a writer
            # work at once, IMMEDIATE makes writers queue (up to "timeout" seconds) instead of
            # failing with "database is locked" when a read transaction turns into a write.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        # A connection attempt to a server that went away mid-handshake (a stop, a failover)
        # waits for TCP's own timeout, minutes: past gunicorn's 30 s the worker is killed and
        # the request answers a bare 500. Bounded, it fails soon enough for the 503 page
        # (project/errors.py). A connect_timeout in the URL's query string wins.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT)
    return config

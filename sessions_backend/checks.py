"""System checks for the ways sessions_backend can be misconfigured.

E001  SESSION_CACHE_ALIAS names no CACHES entry.
E002  The alias uses pylibmc without the "cas" behavior: the session lists cannot be updated.
W001  The alias points at the same memcached servers as "default".
W002  The alias is a local-memory or dummy cache.
W003  SESSION_ENGINE is not one of sessions_backend's engines.
W004  The alias is not memcached (pylibmc or pymemcache): saves and session lists are
      atomic within one process only.
W005  MIDDLEWARE has Django's SessionMiddleware instead of sessions_backend's.
E003  A SESSIONS_BACKEND_*_INTERVAL setting is not a whole number of seconds >= 0.
E004  SESSIONS_BACKEND_MAX_SESSIONS is not a whole number >= 1.
E005  SESSIONS_BACKEND_DEVICE_LABEL is neither a callable nor the dotted path of one.
W006  The user model has no session epoch: "sign out everywhere" ends listed sessions only.
W007  The alias is Django's PyMemcacheCache, on pymemcache's HashClient as it comes: a failed
      node's sessions read as missing, then move to other nodes, whose stale copies can bring
      ended sessions back.
E006  A cache's OPTIONS["hasher"] is a dotted path that cannot be imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.cache.backends.memcached import BaseMemcachedCache, PyLibMCCache, PyMemcacheCache
from django.utils.module_loading import import_string

from sessions_backend.conf import DEFAULTS, app_settings, resolved
from sessions_backend.models import has_session_epoch

ENGINES = ("sessions_backend.backends.cache", "sessions_backend.backends.cached_db")
PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
DJANGO_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
OUR_MIDDLEWARE = "sessions_backend.middleware.SessionMiddleware"


def _servers(config: dict[str, Any]) -> set[str]:
    location = config.get("LOCATION", "")
    servers = [location] if isinstance(location, str) else list(location)
    return {server.strip() for entry in servers for server in entry.replace(";", ",").split(",")}


def _backend(config: dict[str, Any]) -> type | None:
    try:
        return cast(type, import_string(config["BACKEND"]))
    except ImportError:
        return None


@checks.register("sessions_backend", checks.Tags.caches)
def check_cache_alias(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    alias = settings.SESSION_CACHE_ALIAS
    config = settings.CACHES.get(alias)
    if config is None:
        return [
            checks.Error(
                f"SESSION_CACHE_ALIAS is {alias!r}, which is not in CACHES.",
                hint=f"Add a CACHES[{alias!r}] entry for the sessions cluster, or set "
                "SESSION_CACHE_ALIAS to the alias that has it.",
                id="sessions_backend.E001",
            )
        ]
    messages: list[checks.CheckMessage] = []
    if config["BACKEND"] in PER_PROCESS_BACKENDS:
        messages.append(
            checks.Warning(
                f"CACHES[{alias!r}] is {config['BACKEND']}: every process keeps its own "
                "sessions, so users are signed out at random across gunicorn workers.",
                hint=f"Point CACHES[{alias!r}] at memcached: "
                "sessions_backend.clients.FailFastPyLibMCCache.",
                id="sessions_backend.W002",
            )
        )
    elif not issubclass(backend := _backend(config) or object, BaseMemcachedCache):
        messages.append(
            checks.Warning(
                f"CACHES[{alias!r}] is not memcached: session saves and session lists "
                "fall back to read-then-write, atomic within one process only.",
                hint="Use sessions_backend.clients.FailFastPyLibMCCache or "
                "sessions_backend.clients.StrictPyMemcacheCache.",
                id="sessions_backend.W004",
            )
        )
    elif issubclass(backend, PyLibMCCache):
        if not config.get("OPTIONS", {}).get("behaviors", {}).get("cas"):
            messages.append(
                checks.Error(
                    f"CACHES[{alias!r}] uses pylibmc without the 'cas' behavior: the session "
                    "lists cannot be updated.",
                    hint=f'Add "cas": True to CACHES[{alias!r}]["OPTIONS"]["behaviors"].',
                    id="sessions_backend.E002",
                )
            )
    elif backend is PyMemcacheCache:  # a subclass has chosen its client
        messages.append(
            checks.Warning(
                f"CACHES[{alias!r}] uses pymemcache's HashClient as it comes: for retry_timeout "
                "seconds after a node fails its sessions read as missing and saves are dropped "
                "unreported; then the node's keys move to the others, and when it returns its "
                "stale copies can bring ended sessions back.",
                hint="Use sessions_backend.clients.StrictPyMemcacheCache: each failure "
                "raised, each key kept on its node.",
                id="sessions_backend.W007",
            )
        )
    default = settings.CACHES.get("default")
    if alias != "default" and default and _servers(config) & _servers(default):
        shared = ", ".join(sorted(_servers(config) & _servers(default)))
        messages.append(
            checks.Warning(
                f"CACHES[{alias!r}] and CACHES['default'] share memcached servers ({shared}): "
                "flushing or filling the object cache signs people out.",
                hint=f"Give CACHES[{alias!r}] a LOCATION of memcached servers of its own.",
                id="sessions_backend.W001",
            )
        )
    return messages


@checks.register("sessions_backend", checks.Tags.compatibility)
def check_engine_and_middleware(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if settings.SESSION_ENGINE not in ENGINES:
        messages.append(
            checks.Warning(
                f"SESSION_ENGINE is {settings.SESSION_ENGINE!r}: sessions_backend's outage "
                "rules and session lists do not apply.",
                hint=f"Use one of {', '.join(ENGINES)}.",
                id="sessions_backend.W003",
            )
        )
    if DJANGO_MIDDLEWARE in settings.MIDDLEWARE:
        messages.append(
            checks.Warning(
                f"MIDDLEWARE has {DJANGO_MIDDLEWARE}: when the sessions cluster is down, "
                "sign-in answers 500 instead of a 503 page.",
                hint=f"Replace it with {OUR_MIDDLEWARE}.",
                id="sessions_backend.W005",
            )
        )
    return messages


def _is_whole_number(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register("sessions_backend")
def check_settings(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = [
        checks.Error(
            f"SESSIONS_BACKEND_{name} is {value!r}; it must be a whole number of seconds >= 0.",
            hint=f"The default, {DEFAULTS[name]}, suits most sites.",
            id="sessions_backend.E003",
        )
        for name in ("LAST_SEEN_INTERVAL", "WARNING_INTERVAL")
        if not _is_whole_number(value := getattr(app_settings, name), 0)
    ]
    if not _is_whole_number(app_settings.MAX_SESSIONS, 1):
        messages.append(
            checks.Error(
                f"SESSIONS_BACKEND_MAX_SESSIONS is {app_settings.MAX_SESSIONS!r}; it must be a "
                "whole number >= 1.",
                hint=f"The default, {DEFAULTS['MAX_SESSIONS']}, suits most sites.",
                id="sessions_backend.E004",
            )
        )
    messages.extend(_check_device_label())
    return messages


def _check_device_label() -> list[checks.CheckMessage]:
    try:
        labeller = resolved("DEVICE_LABEL")
    except ImportError as exc:
        problem = f"cannot be imported ({exc})"
    else:
        if callable(labeller):
            return []
        problem = "is not callable"
    return [
        checks.Error(
            f"SESSIONS_BACKEND_DEVICE_LABEL {app_settings.DEVICE_LABEL!r} {problem}.",
            hint="Name a function taking a User-Agent string and returning a short label, or "
            f"leave the default, {DEFAULTS['DEVICE_LABEL']!r}.",
            id="sessions_backend.E005",
        )
    ]


@checks.register("sessions_backend", checks.Tags.models)
def check_session_epoch(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    user_model = get_user_model()
    if has_session_epoch(user_model):
        return []
    return [
        checks.Warning(
            f"{user_model._meta.label} has no session epoch: “sign out everywhere” ends only "
            "the sessions in the user's list, which a restart of the sessions node that holds "
            "it empties.",
            hint="Add sessions_backend.models.SessionEpochMixin to your user model's bases, "
            "before AbstractUser, and make its migration.",
            id="sessions_backend.W006",
        )
    ]


@checks.register("sessions_backend", checks.Tags.caches)
def check_hashers(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every cache whose OPTIONS name pymemcache's hasher by a dotted path, as the site's
    settings do (sessions_backend.clients imports it when the client is made)."""
    messages: list[checks.CheckMessage] = []
    for alias, config in settings.CACHES.items():
        hasher = config.get("OPTIONS", {}).get("hasher")
        if not isinstance(hasher, str):
            continue
        try:
            import_string(hasher)
        except ImportError as exc:
            messages.append(
                checks.Error(
                    f"CACHES[{alias!r}]['OPTIONS']['hasher'] is {hasher!r}, which cannot be "
                    f"imported: {exc}",
                    hint="Name a pymemcache hasher by its dotted path: "
                    "sessions_backend.ring.LibmemcachedKetama places keys as pylibmc does.",
                    id="sessions_backend.E006",
                )
            )
    return messages

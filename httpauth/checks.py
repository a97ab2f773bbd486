"""System checks for the ways httpauth can be misconfigured.

E001  HTTPAUTH_CACHE_ALIAS names no CACHES entry.
E002  HTTPAUTH_CACHE_TTL is not a whole number of seconds >= 0.
E003  HTTPAUTH_ADDRESS_FAILURE_LIMIT is not a whole number >= 0.
E004  HTTPAUTH_ADDRESS_FAILURE_WINDOW is not a whole number of seconds >= 1.
E005  HTTPAUTH_REAUTHENTICATION_WINDOW is not a whole number of seconds >= 0.
E006  HTTPAUTH_IPV6_PREFIX_LENGTH is not a whole number from 1 to 128.
E007  HTTPAUTH_READER_LABEL, HTTPAUTH_READER_USE or HTTPAUTH_REQUIRE_APP_PASSWORD is neither
      None, a callable, nor the dotted path of one.
W001  AppPasswordBackend is not in AUTHENTICATION_BACKENDS: app passwords are refused.
W002  AppPasswordBackend comes after ModelBackend: every app password pays a slow hash first.
W003  django-axes does not guard authenticate(): Basic credentials can be guessed freely.
W004  (deploy) HTTPAUTH_REQUIRE_HTTPS is off: passwords may travel in clear text.
W005  django-axes counts clients by another key than httpauth.clients.client_key: the lockout
      counts each IPv6 address apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage

from httpauth.basic import APP_PASSWORD_BACKEND
from httpauth.clients import client_key
from httpauth.conf import app_settings, resolved

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CLIENT_KEY = f"{client_key.__module__}.{client_key.__qualname__}"
IPV6_BITS = 128
AXES_BACKENDS = ("axes.backends.AxesStandaloneBackend", "axes.backends.AxesBackend")


def _is_whole_number(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register("httpauth", checks.Tags.caches)
def check_cache(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if app_settings.CACHE_ALIAS not in settings.CACHES:
        messages.append(
            checks.Error(
                f"HTTPAUTH_CACHE_ALIAS is {app_settings.CACHE_ALIAS!r}, which is not in CACHES.",
                hint="Name an existing alias (the objects cache, 'default', is the usual one).",
                id="httpauth.E001",
            )
        )
    ttl = app_settings.CACHE_TTL
    if not _is_whole_number(ttl, 0):
        messages.append(
            checks.Error(
                f"HTTPAUTH_CACHE_TTL is {ttl!r}; it must be a whole number of seconds >= 0.",
                hint="300 remembers a verified password for five minutes; 0 turns it off.",
                id="httpauth.E002",
            )
        )
    limit, window = app_settings.ADDRESS_FAILURE_LIMIT, app_settings.ADDRESS_FAILURE_WINDOW
    if not _is_whole_number(limit, 0):
        messages.append(
            checks.Error(
                f"HTTPAUTH_ADDRESS_FAILURE_LIMIT is {limit!r}; it must be a whole number >= 0.",
                hint="20 throttles an address after 20 failed checks; 0 turns it off.",
                id="httpauth.E003",
            )
        )
    if not _is_whole_number(window, 1):
        messages.append(
            checks.Error(
                f"HTTPAUTH_ADDRESS_FAILURE_WINDOW is {window!r}; it must be a whole number of "
                "seconds >= 1.",
                hint="900 counts failures, and throttles, for fifteen minutes.",
                id="httpauth.E004",
            )
        )
    reauthentication = app_settings.REAUTHENTICATION_WINDOW
    if not _is_whole_number(reauthentication, 0):
        messages.append(
            checks.Error(
                f"HTTPAUTH_REAUTHENTICATION_WINDOW is {reauthentication!r}; it must be a whole "
                "number of seconds >= 0.",
                hint="600 asks for the password again after ten minutes; 0 asks every time.",
                id="httpauth.E005",
            )
        )
    prefix = app_settings.IPV6_PREFIX_LENGTH
    if not _is_whole_number(prefix, 1) or prefix > IPV6_BITS:
        messages.append(
            checks.Error(
                f"HTTPAUTH_IPV6_PREFIX_LENGTH is {prefix!r}; it must be a whole number from 1 "
                f"to {IPV6_BITS}.",
                hint="64, the network an IPv6 client usually holds, suits most sites.",
                id="httpauth.E006",
            )
        )
    return messages


@checks.register("httpauth")
def check_hooks(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for name in ("READER_LABEL", "READER_USE", "REQUIRE_APP_PASSWORD"):
        try:
            hook = resolved(name)
        except ImportError as exc:
            problem = f"cannot be imported ({exc})"
        else:
            if hook is None or callable(hook):
                continue
            problem = "is not callable"
        messages.append(
            checks.Error(
                f"HTTPAUTH_{name} {getattr(app_settings, name)!r} {problem}.",
                hint="Name a function (or its dotted path), or None to leave it out.",
                id="httpauth.E007",
            )
        )
    return messages


@checks.register("httpauth", checks.Tags.security)
def check_backends(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    backends = list(settings.AUTHENTICATION_BACKENDS)
    messages: list[checks.CheckMessage] = []
    if APP_PASSWORD_BACKEND not in backends:
        messages.append(
            checks.Warning(
                f"{APP_PASSWORD_BACKEND} is not in AUTHENTICATION_BACKENDS: app passwords are "
                "refused.",
                hint="Add it, before ModelBackend.",
                id="httpauth.W001",
            )
        )
    elif MODEL_BACKEND in backends and backends.index(MODEL_BACKEND) < backends.index(
        APP_PASSWORD_BACKEND
    ):
        messages.append(
            checks.Warning(
                f"{APP_PASSWORD_BACKEND} comes after ModelBackend: every app password pays a "
                "slow password hash before it is recognised.",
                hint="Put it before django.contrib.auth.backends.ModelBackend.",
                id="httpauth.W002",
            )
        )
    if not backends or backends[0] not in AXES_BACKENDS:
        messages.append(
            checks.Warning(
                "django-axes does not guard authenticate(): Basic credentials can be guessed "
                "without a lockout.",
                hint=(
                    "Put axes.backends.AxesStandaloneBackend first in AUTHENTICATION_BACKENDS."
                    if apps.is_installed("axes")
                    else "Install django-axes, add 'axes' to INSTALLED_APPS and put "
                    "axes.backends.AxesStandaloneBackend first in AUTHENTICATION_BACKENDS."
                ),
                id="httpauth.W003",
            )
        )
    elif getattr(settings, "AXES_CLIENT_IP_CALLABLE", None) != CLIENT_KEY:
        messages.append(
            checks.Warning(
                "django-axes counts clients by another key than httpauth's: its lockout counts "
                "each IPv6 address apart, so a client guesses from a fresh address each time.",
                hint=f'Set AXES_CLIENT_IP_CALLABLE = "{CLIENT_KEY}".',
                id="httpauth.W005",
            )
        )
    return messages


@checks.register("httpauth", checks.Tags.security, deploy=True)
def check_https(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if app_settings.REQUIRE_HTTPS:
        return []
    return [
        checks.Warning(
            "HTTPAUTH_REQUIRE_HTTPS is off: Basic credentials are accepted over plain HTTP.",
            hint="Serve the site over HTTPS and set HTTPAUTH_REQUIRE_HTTPS = True.",
            id="httpauth.W004",
        )
    ]

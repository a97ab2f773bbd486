"""System checks for the accounts app.

E001  An ACCOUNTS_PASSWORD_RESET_* setting, or ACCOUNTS_RECOVERY_CODES, is not a whole
      number >= 1.
E002  SecondFactorMiddleware is not in MIDDLEWARE after AuthenticationMiddleware.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from accounts.conf import DEFAULTS, app_settings


def _is_whole_number(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register("accounts")
def check_settings(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"ACCOUNTS_{name} is {value!r}; it must be a whole number >= 1.",
            hint=f"The default, {DEFAULTS[name]}, suits most sites.",
            id="accounts.E001",
        )
        for name in ("PASSWORD_RESET_LIMIT", "PASSWORD_RESET_WINDOW", "RECOVERY_CODES")
        if not _is_whole_number(value := getattr(app_settings, name), 1)
    ]


AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
HOLD = "accounts.middleware.SecondFactorMiddleware"


@checks.register("accounts")
def check_middleware(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    middleware = list(settings.MIDDLEWARE)
    if HOLD in middleware and AUTHENTICATION in middleware[: middleware.index(HOLD)]:
        return []
    return [
        checks.Error(
            f"{HOLD} is not in MIDDLEWARE after {AUTHENTICATION}: a user with a second "
            "factor would reach every page with the password alone.",
            hint=f"Put {HOLD!r} right after {AUTHENTICATION!r}.",
            id="accounts.E002",
        )
    ]

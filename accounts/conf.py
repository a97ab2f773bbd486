"""accounts' settings: one place, each default with its reason.

Read at call time (``app_settings.PASSWORD_RESET_LIMIT``), never at import, so
``override_settings`` works. Every setting is named ``ACCOUNTS_<NAME>`` in the project's
settings.
"""

from typing import Any

from django.conf import settings

DEFAULTS = {
    # Offer password reset by email. Off, /accounts/password_reset/ answers 503 and says so:
    # for a site that has no way to send email but the log, where a link would let any reader
    # of the log take the account over (this site turns it off then: project/settings.py).
    "PASSWORD_RESET": True,
    # Password reset requests allowed from one address, and for one email address, within
    # PASSWORD_RESET_WINDOW: each may send an email, and guessers probe addresses.
    "PASSWORD_RESET_LIMIT": 5,
    # Seconds from the first request over which PASSWORD_RESET_LIMIT counts, and for which
    # further requests are then refused (429).
    "PASSWORD_RESET_WINDOW": 3600,
    # Send staff without a second factor to enrolment before any other page, and let them
    # read feeds over Basic with app passwords only. Off, as in the demo, staff choose;
    # production sites turn it on (docs/accounts.md).
    "REQUIRE_MFA_FOR_STAFF": False,
    # How many recovery codes a user gets at a time (each works once).
    "RECOVERY_CODES": 10,
}


class AppSettings:
    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"accounts has no setting {name!r}")
        return getattr(settings, f"ACCOUNTS_{name}", DEFAULTS[name])


app_settings = AppSettings()

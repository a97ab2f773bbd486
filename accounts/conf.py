"""accounts' settings: one place, each default with its reason.

Read at call time (``app_settings.PASSWORD_RESET_LIMIT``), never at import, so
``override_settings`` works. Every setting is named ``ACCOUNTS_<NAME>`` in the project's
settings.
"""

from django.conf import settings

DEFAULTS = {
    # Password reset requests allowed from one address, and for one email address, within
    # PASSWORD_RESET_WINDOW: each may send an email, and guessers probe addresses.
    "PASSWORD_RESET_LIMIT": 5,
    # Seconds from the first request over which PASSWORD_RESET_LIMIT counts, and for which
    # further requests are then refused (429).
    "PASSWORD_RESET_WINDOW": 3600,
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"accounts has no setting {name!r}")
        return getattr(settings, f"ACCOUNTS_{name}", DEFAULTS[name])


app_settings = AppSettings()

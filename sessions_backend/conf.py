"""sessions_backend's settings: one place, each default with its reason.

Read at call time (``app_settings.LAST_SEEN_INTERVAL``), never at import, so
``override_settings`` works. Every setting is named ``SESSIONS_BACKEND_<NAME>`` in the
project's settings. The sessions cluster is Django's own ``SESSION_CACHE_ALIAS``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULTS = {
    # Keep each session's client IP address in its owner's session list.
    "TRACK_IP": True,
    # Keep each session's User-Agent in its owner's session list (shown under "details"). Its
    # label ("Firefox on Linux") is kept either way: a family name, no version.
    "TRACK_USER_AGENT": True,
    # What names a session's browser or reader: a callable taking the User-Agent and returning
    # a short label, or its dotted path. Called once per session, never by the list page.
    "DEVICE_LABEL": "sessions_backend.devices.label",
    # Seconds between two "last seen" updates of a session: a write every few minutes,
    # never one on every request.
    "LAST_SEEN_INTERVAL": 300,
    # Seconds between two outage warnings of one process on the sessions_backend logger.
    "WARNING_INTERVAL": 60,
    # Sessions a user may have at once: at the cap, a sign-in signs out the least recently
    # seen one. A user's list is one memcached item, and items hold at most 1 MB (about
    # 2,000 sessions): a list that could not grow would leave sessions no sign-out reaches.
    "MAX_SESSIONS": 100,
}


class AppSettings:
    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"sessions_backend has no setting {name!r}")
        return getattr(settings, f"SESSIONS_BACKEND_{name}", DEFAULTS[name])


app_settings = AppSettings()


def resolved(name: str) -> Any:
    """SESSIONS_BACKEND_<name>, a callable or its dotted path, as the callable. ImportError
    when the path names nothing: check E005 says so at startup."""
    configured = getattr(app_settings, name)
    return import_string(configured) if isinstance(configured, str) else configured

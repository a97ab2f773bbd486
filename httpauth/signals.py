"""Signals of httpauth, for whatever counts them (a project's metrics)."""

from django.dispatch import Signal

#: A check of Basic credentials, with ``request`` and ``result``: "cached" (a password
#: remembered from an earlier check), "verified" (a password or app password checked now),
#: "refused" (wrong, unknown or inactive), "locked_out" (answered 429 without a check).
basic_auth_checked = Signal()
#: Every ``result`` it is sent with.
RESULTS = ("cached", "verified", "refused", "locked_out")

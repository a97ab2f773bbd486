"""Signals of the feeds, for whatever counts them (the site's metrics: ops/metrics.py)."""

from django.dispatch import Signal

#: A feed's answer, with ``request``, ``feed`` (its slug), ``auth`` (how the reader came:
#: "public", "session", "basic", "app_password" or "secret", see feeds.feed_views.auth_of)
#: and ``status`` (the HTTP status code).
feed_served = Signal()
#: How a reader comes to a private feed (``auth``); the public one's readers are "public".
PRIVATE_AUTHS = ("session", "basic", "app_password", "secret")
#: A poll refused past its budget (feeds.polling), with ``credential``: the kind the budget
#: counted it under ("app_password", "basic", "secret" or "public").
poll_refused = Signal()

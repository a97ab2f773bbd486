"""Sessions in their own memcached cluster: engines, outage rule, and each user's sessions.

Engines (``SESSION_ENGINE``): ``sessions_backend.backends.cache`` and
``sessions_backend.backends.cached_db``. Middleware: ``sessions_backend.middleware.
SessionMiddleware`` in place of Django's. Settings: ``sessions_backend.conf``. The page that
tells the whole story, installation included: docs/sessions_backend.md.
"""

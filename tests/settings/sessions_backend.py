"""A minimal project around sessions_backend, for its tests (tests/test_standalone_apps.py).

Everything sessions_backend needs and nothing of this site: Django's own user model, no other
app of ours, a session cache alias of another name. tests/conftest.py points both caches
at the memcached daemons the suite starts.
"""

import os
from importlib.util import find_spec

from tests.support import standalone

SECRET_KEY = "sessions-backend-standalone-tests-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",  # the django_session table, for cached_db
    "django.contrib.messages",
    "sessions_backend",
]
MIDDLEWARE = [
    "sessions_backend.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.sessions_backend.urls"
TEMPLATES = standalone.TEMPLATES  # the apps' own, and a sign-in form
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The client the suite runs on (MEMCACHED_CLIENT, as the site's settings read it), through
# the app's own backends.
_client = os.environ.get("MEMCACHED_CLIENT", "pylibmc" if find_spec("pylibmc") else "pymemcache")
if _client == "pymemcache":
    _memcached = {"BACKEND": "sessions_backend.clients.StrictPyMemcacheCache", "OPTIONS": {}}
    _sessions_options = {"hasher": "sessions_backend.ring.LibmemcachedKetama"}
else:
    _memcached = {
        "BACKEND": "sessions_backend.clients.FailFastPyLibMCCache",
        "OPTIONS": {"binary": False, "behaviors": {"tcp_nodelay": True, "ketama": True}},
    }
    _sessions_options = {"binary": False, "behaviors": {"cas": True, "ketama": True}}
CACHES = {
    "default": {**_memcached, "LOCATION": "127.0.0.1:11211", "KEY_PREFIX": "objects"},
    "session_store": {
        **_memcached,
        "LOCATION": "127.0.0.1:11212",
        "KEY_PREFIX": "sessions",
        "OPTIONS": _sessions_options,
    },
}
SESSION_ENGINE = "sessions_backend.backends.cache"
SESSION_CACHE_ALIAS = "session_store"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "/"
# Django's auth.User has no session epoch: "sign out everywhere" ends the listed sessions
# only, as W006 says (test_checks.py asserts the warning itself).
SILENCED_SYSTEM_CHECKS = ["sessions_backend.W006"]

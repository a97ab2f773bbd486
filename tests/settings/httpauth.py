"""A minimal project around httpauth, for its tests (tests/test_standalone_apps.py).

Everything httpauth needs and nothing of this site: Django's own user model and db session
engine, no other app of ours, one memcached cache for verified credentials (tests/conftest.py
points it at the suite's daemon), and django-axes as httpauth's documentation recommends.
"""

import os
from datetime import timedelta
from importlib.util import find_spec

from tests.support import standalone

SECRET_KEY = "httpauth-standalone-tests-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "axes",
    "httpauth",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "tests.httpauth.urls"
TEMPLATES = standalone.TEMPLATES  # the apps' own, and a sign-in form
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The client the suite runs on (MEMCACHED_CLIENT, as the site's settings read it), through
# Django's own backends: the app needs nothing more.
_client = os.environ.get("MEMCACHED_CLIENT", "pylibmc" if find_spec("pylibmc") else "pymemcache")
if _client == "pymemcache":
    _memcached = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"}
else:
    _memcached = {
        "BACKEND": "django.core.cache.backends.memcached.PyLibMCCache",
        "OPTIONS": {"binary": False, "behaviors": {"tcp_nodelay": True, "ketama": True}},
    }
CACHES = {"default": {**_memcached, "LOCATION": "127.0.0.1:11211"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "httpauth.backends.AppPasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "httpauth.lockout.lockout_response"
AXES_HANDLER = "httpauth.lockout_handler.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "httpauth.clients.client_key"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "/"
# The test client speaks plain HTTP to "testserver"; the HTTPS rule's tests turn it on.
HTTPAUTH_REQUIRE_HTTPS = False

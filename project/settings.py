"""Settings for the reference site, all driven by environment variables.

Development and production differ only by environment: docs/deployment.md documents every
variable, and ``.env.example`` lists them. A malformed value stops startup with a message
that names the variable (``project.env``).
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from csp import constants as csp

from project.env import (
    EnvError,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_int_pair,
    env_list,
    env_networks,
    env_origin,
    env_origins,
    env_required,
    env_sentry_dsn,
    env_servers,
    env_str,
    url_host,
)
from project.mail import CONSOLE, SMTP, UNSENT, mail_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_required(
    "DJANGO_SECRET_KEY",
    "a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or DJANGO_DEBUG=true for local development",
    unless=DEBUG,
) or (
    # Only ever used with DJANGO_DEBUG=true; `check --deploy` flags it by its prefix.
    "django-insecure-development-only-never-use-this-key-in-production"
)

# The site's name, shown on every page and in the feeds' titles. Rename it first.
SITE_NAME = "Reference site"
# The site's canonical origin for absolute links (feeds, OPML), whatever Host a request
# names; unset, each request's own scheme and host.
SITE_URL = env_origin("DJANGO_SITE_URL")

# The proxies in front of the site, as addresses or networks: the only peers whose
# X-Forwarded-For (ops.proxy) and X-Forwarded-Proto (gunicorn.conf.py) are believed.
OPS_TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")

# Unset, both follow DJANGO_SITE_URL when it is set: a deployment names its host once.
_local_hosts = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [url_host(SITE_URL)] if SITE_URL else _local_hosts)
CSRF_TRUSTED_ORIGINS = env_origins("DJANGO_CSRF_TRUSTED_ORIGINS", [SITE_URL] if SITE_URL else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # The site itself: its home and error pages, deployment checks and release step.
    "project",
    # Operations: metrics, request ids, logs, error reports, health, /status/ (docs/operations.md).
    "ops",
    "accounts",
    # The second factor (accounts.second_factor): authenticator apps, recovery codes, passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "sessions_backend",
    "httpauth",
    # The demo layer: entries with their feeds, and the demo data (manage.py seed_demo).
    # Remove both lines and the site runs without them (docs/make-it-yours.md).
    "feeds",
    "demo",
]

MIDDLEWARE = [
    # Each request's id, in its log lines and its X-Request-ID (ops/request_id.py).
    "ops.request_id.RequestIdMiddleware",
    # The client's address, from the trusted proxies' X-Forwarded-For (ops/proxy.py).
    "ops.proxy.ClientAddressMiddleware",
    # Probes and /metrics skip host checks and the HTTPS redirect (ops/health.py says
    # why); every other request is timed and counted (ops/metrics.py).
    "ops.health.HealthCheckMiddleware",
    "ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (policies below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's SessionMiddleware plus the sessions cluster's outage rule (503, not 500).
    "sessions_backend.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A user with a second factor is held on /accounts/confirm/ until they use it.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into httpauth's 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "project.context_processors.site",  # the site's name
                # The demo layer's menu entries, account links and feed links.
                "feeds.context_processors.feeds",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two memcached clusters: "default" holds ordinary objects and survives its own outages
# (ops.cache); "sessions" holds only sessions, so flushing, restarting or filling the
# object cache never signs anyone out. docs/deployment.md says why each option is set.
# MEMCACHED_CLIENT chooses the client for both: pylibmc (C, libmemcached) or pymemcache
# (pure Python), which sessions_backend.ring makes place every key on the node pylibmc picks.
# On both, a node that fails keeps its keys (moving them and back would serve stale copies:
# a session ended meanwhile could come back to life), and one that stalls is skipped for a
# few seconds by the whole process (sessions_backend.nodes). pylibmc by default, where it is
# installed: pyproject.toml leaves it out on Python 3.14 and later, which default to pymemcache.
MEMCACHED_CLIENT = env_choice(
    "MEMCACHED_CLIENT",
    "pylibmc" if find_spec("pylibmc") else "pymemcache",
    ("pylibmc", "pymemcache"),
)
if find_spec(MEMCACHED_CLIENT) is None:
    raise EnvError(
        "MEMCACHED_CLIENT",
        f"is {MEMCACHED_CLIENT!r}, which is not installed here",
        "pymemcache, or pylibmc installed (Python 3.11 to 3.13, built against libmemcached-dev)",
    )
_pylibmc_behaviors = {
    "tcp_nodelay": True,
    # Consistent hashing: adding or losing a node remaps only that node's share of keys.
    "ketama": True,
    # Milliseconds: a node that does not answer costs a request at most this long.
    "connect_timeout": 250,
    "_poll_timeout": 250,
    # Microseconds, for a node that accepts the connection but then stalls.
    "send_timeout": 500_000,
    "receive_timeout": 500_000,
    # Seconds before a failed node is tried again.
    "retry_timeout": 2,
}
# The same limits for pymemcache, in seconds (it speaks the text protocol only), and
# libmemcached's ketama ring, so both clients put every key on the same node.
_pymemcache_options = {
    "no_delay": True,
    "connect_timeout": 0.25,
    "timeout": 0.25,
    "hasher": "sessions_backend.ring.LibmemcachedKetama",
}
if MEMCACHED_CLIENT == "pylibmc":
    _objects = {
        "BACKEND": "ops.cache.ResilientPyLibMCCache",
        # The text protocol: see docs/deployment.md.
        "OPTIONS": {"binary": False, "behaviors": _pylibmc_behaviors},
    }
    _sessions = {
        "BACKEND": "sessions_backend.clients.FailFastPyLibMCCache",
        # cas: the per-user session lists are updated with gets/cas.
        "OPTIONS": {"binary": False, "behaviors": {**_pylibmc_behaviors, "cas": True}},
    }
else:
    _objects = {"BACKEND": "ops.cache.ResilientPyMemcacheCache", "OPTIONS": _pymemcache_options}
    _sessions = {
        "BACKEND": "sessions_backend.clients.StrictPyMemcacheCache",
        "OPTIONS": _pymemcache_options,
    }
CACHES = {
    "default": {
        **_objects,
        "LOCATION": env_servers("MEMCACHED_OBJECTS", "127.0.0.1:11211"),
        "KEY_PREFIX": "objects",
    },
    "sessions": {
        **_sessions,
        "LOCATION": env_servers("MEMCACHED_SESSIONS", "127.0.0.1:11212"),
        "KEY_PREFIX": "sessions",
    },
}

# Sessions live in the "sessions" cluster (docs/sessions_backend.md): in it alone, or in it
# and the database, which survives losing a node (cached_db, the production default).
SESSION_ENGINE = env_choice(
    "DJANGO_SESSION_ENGINE",
    "sessions_backend.backends.cache",
    ("sessions_backend.backends.cache", "sessions_backend.backends.cached_db"),
)
# The cluster the engines use (Django's cache engines, measured in bench/, too).
SESSION_CACHE_ALIAS = "sessions"

# The site's own user model (accounts.User), from the first migration on.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses clients locked out after too many failures.
    "axes.backends.AxesStandaloneBackend",
    # App passwords before ModelBackend: one indexed query, no slow hash (httpauth).
    "httpauth.backends.AppPasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection for the sign-in form and HTTP Basic alike: five failures of one
# username from one address lock that pair out for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "httpauth.lockout.lockout_response"
# The address the lockout counts: an IPv6 client is its /64, as for every per-address limit
# (httpauth/clients.py).
AXES_CLIENT_IP_CALLABLE = "httpauth.clients.client_key"
# axes' database handler, its failure count sent as one plain statement: every Basic poll asks
# it (httpauth/lockout_handler.py).
AXES_HANDLER = "httpauth.lockout_handler.LockoutHandler"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Readers see the feeds under the site's name, and their links on its origin.
FEEDS_SITE_TITLE = SITE_NAME
FEEDS_SITE_URL = SITE_URL
# Polite polling (docs/feeds.md): when readers should come back, and each credential's budget
# of full answers, "burst,per_hour" (or off).
FEEDS_POLL_INTERVAL = env_int("DJANGO_FEEDS_POLL_INTERVAL", 900, minimum=60)
FEEDS_POLL_BUDGET = env_int_pair("DJANGO_FEEDS_POLL_BUDGET", (12, 8))
# The app-password page names each password's reader as the session list names browsers.
HTTPAUTH_READER_LABEL = "sessions_backend.devices.label"
HTTPAUTH_READER_USE = "feeds.reader_use.described"  # and shows how the feeds counted its polls
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# The second factor (docs/accounts.md). Users with one read feeds over Basic with app passwords
# only, and confirm with it, not their password, before making one.
HTTPAUTH_REQUIRE_APP_PASSWORD = "accounts.second_factor.requires_app_password"  # noqa: S105
HTTPAUTH_REAUTHENTICATION_URL = "confirm"
# Staff without a second factor are sent to enrol before any other page. Off in the demo;
# on for a site with staff who can read drafts or reach the admin.
ACCOUNTS_REQUIRE_MFA_FOR_STAFF = env_bool("DJANGO_ACCOUNTS_REQUIRE_MFA_FOR_STAFF", False)
OTP_TOTP_ISSUER = SITE_NAME  # what authenticator apps call the account
# Passkeys: the relying party is the host asked, the origin the request's (accounts.passkeys);
# a second factor only, never a sign-in on their own.
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
# What django-otp-webauthn's checks ask for; without DJANGO_SITE_URL the helper expects each
# request's own origin instead (http://localhost:8000 in development).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL or "http://localhost"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Email (password resets): through the SMTP server DJANGO_EMAIL_HOST names. Without one, to
# the log in DEBUG, and nowhere otherwise: password reset is then off, as a reset link in a
# log is an account for whoever reads it (project/mail.py). In EMAIL_* or MAILERS settings,
# whichever the running Django reads.
_smtp = {
    "host": env_str("DJANGO_EMAIL_HOST"),
    "port": env_int("DJANGO_EMAIL_PORT", 587, minimum=1),
    "username": env_str("DJANGO_EMAIL_HOST_USER", ""),
    "password": env_str("DJANGO_EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
    "timeout": 10,
}
globals().update(
    mail_settings(SMTP, **_smtp) if _smtp["host"] else mail_settings(CONSOLE if DEBUG else UNSENT)
)
# Password reset (accounts): offered when its email can reach someone. Off, its pages answer
# 503 and say so, and `check --deploy` warns (project.W001).
ACCOUNTS_PASSWORD_RESET = bool(_smtp["host"]) or DEBUG
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. DJANGO_HTTPS says the site is reached over HTTPS, directly or through a proxy that
# terminates TLS; behind one, gunicorn takes the scheme from the proxies trusted below.
_https = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _https
# HTTP Basic for feed readers (httpauth): refused over plain HTTP on an HTTPS site.
HTTPAUTH_REQUIRE_HTTPS = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# Start short; raise to 31536000 once every subdomain serves HTTPS.
_a_year = 31_536_000  # seconds: what HSTS preload lists require
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Off until you decide to submit the domain to hstspreload.org: with "preload" in the header
# anyone may submit it, and leaving the list takes months. Hence security.W021 is silenced.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if SECURE_HSTS_PRELOAD and _a_year > SECURE_HSTS_SECONDS:
    raise EnvError(
        "DJANGO_SECURE_HSTS_PRELOAD",
        f"is true while HSTS lasts {SECURE_HSTS_SECONDS} s (DJANGO_SECURE_HSTS_SECONDS, and "
        "DJANGO_HTTPS)",
        f"DJANGO_SECURE_HSTS_SECONDS of at least {_a_year}: preload lists require a year",
    )
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# What a page may load: its own scripts, styles and fonts, no inline code (templates keep
# none), images also from HTTPS (entries may show them). Feeds answer default-src 'none'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.NONE],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:", "https:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
    }
}
# Browser features the site never uses, refused to it and to anything it frames.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
                    "microphone", "payment", "usb")
}  # fmt: skip
# No Referer to other sites: addresses on this one may be private (feeds, sessions).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Operations (docs/operations.md). /metrics, for Prometheus: open to whoever reaches the
# web processes unless METRICS_TOKEN is set, so keep it inside the deployment.
OPS_METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Error reports to Sentry (ops/sentry.py); unset, none are sent.
OPS_SENTRY_DSN = env_sentry_dsn("SENTRY_DSN") or ""
# Log lines as plain text, or one JSON object each (ops/logs.py), gunicorn's included.
_log_format = env_choice("LOG_FORMAT", "plain", ("plain", "json"))

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    # Secret feed addresses, app passwords and credentials masked in every line
    # (ops.redaction).
    "filters": {"redact_secrets": {"()": "ops.redaction.RedactSecrets"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": _log_format,
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "project": {"level": "INFO"},
        "ops": {"level": "INFO"},
        # runserver's request lines, through the same handler rather than Django's own.
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

if DEBUG:
    # Development email (project/mail.py), its reset links whole for the developer to follow:
    # a handler without the redaction filter, which exists in DEBUG alone.
    LOGGING["handlers"]["development_mail"] = {
        "class": "logging.StreamHandler",
        "formatter": _log_format,
    }
    LOGGING["loggers"]["project.mail"] = {
        "handlers": ["development_mail"],
        "level": "INFO",
        "propagate": False,
    }

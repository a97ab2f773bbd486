"""httpauth's settings: one place, each default with its reason.

Read at call time (``app_settings.REALM``), never at import, so ``override_settings``
works. Every setting is named ``HTTPAUTH_<NAME>`` in the project's settings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULTS = {
    # The realm a 401 names when a view does not give its own.
    "REALM": "Restricted",
    # Seconds a verified username and password stay verified in the credential cache:
    # polling readers pay the slow password hash once per this period, not once per poll.
    # 0 turns the cache off.
    "CACHE_TTL": 300,
    # The CACHES alias of the credential cache.
    "CACHE_ALIAS": "default",
    # Refuse Basic credentials sent over plain HTTP (403), except in DEBUG or from and to
    # loopback. Behind a TLS proxy, request.is_secure() must know it: the server trusts the
    # proxy's scheme header, or Django's SECURE_PROXY_SSL_HEADER names it.
    "REQUIRE_HTTPS": True,
    # Accept an email address as the user part when it belongs to exactly one active user.
    "ALLOW_EMAIL": True,
    # Failed sign-ins from one address (Basic, the form, the admin), whatever the usernames,
    # before it is throttled for ADDRESS_FAILURE_WINDOW seconds: each costs a slow hash, and
    # django-axes only counts one username at a time. Throttled, every Basic attempt from the
    # address answers 429, except a valid app password, and so does every sign-in POST to a
    # view under httpauth.throttle.throttled_sign_in. 0 turns the throttle off.
    "ADDRESS_FAILURE_LIMIT": 20,
    # Seconds from an address's first failure over which ADDRESS_FAILURE_LIMIT counts, and
    # for which it is then throttled.
    "ADDRESS_FAILURE_WINDOW": 900,
    # The bits of an IPv6 address that name one client for every per-address limit (this
    # throttle, django-axes' lockout through httpauth.clients, the site's reset limit): a
    # client usually holds a whole /64, and would otherwise guess from a fresh address each time.
    "IPV6_PREFIX_LENGTH": 64,
    # Seconds after the user entered their password (signing in, or on the app passwords
    # page) during which they may create app passwords: a stolen session cookie alone gives
    # no lasting feed access.
    "REAUTHENTICATION_WINDOW": 600,
    # What names the reader that last used an app password (or secret address), from its
    # User-Agent: a callable or its dotted path, called at most once per last-use write
    # (every 5 minutes). None: the User-Agent's first 60 characters. This project names it
    # with sessions_backend's labeller ("NetNewsWire", "Newsboat").
    "READER_LABEL": None,
    # How each app password was used lately, for its page ("96 polls in 24 h, 91 % not
    # modified · 0 refused"): a callable or its dotted path taking the user's app passwords
    # and returning {pk: text}. None: the page shows when and by what each was last used
    # only. This project's feeds count their polls (feeds.reader_use).
    "READER_USE": None,
    # Which users may read over Basic with app passwords only, never their own password: a
    # callable taking the user, or its dotted path, asked on every Basic request with a
    # password before the credential cache (so it must be cheap: a field of the user, which
    # is loaded anyway). A project with a second factor answers "has one". None: nobody.
    "REQUIRE_APP_PASSWORD": None,
    # Where the users REQUIRE_APP_PASSWORD names confirm it is them before creating an app
    # password or a secret address: a URL or URL name. For them the password alone, at
    # sign-in or on the page, opens no re-authentication window; that page opens it (with
    # ``httpauth.reauthentication.note_authentication``) after a second factor, say. None:
    # the password, for everyone.
    "REAUTHENTICATION_URL": None,
}


class AppSettings:
    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"httpauth has no setting {name!r}")
        return getattr(settings, f"HTTPAUTH_{name}", DEFAULTS[name])


app_settings = AppSettings()


def resolved(name: str) -> Any:
    """HTTPAUTH_<name>, a callable or its dotted path, as the callable (None stays None).
    ImportError when the path names nothing: check E007 says so at startup."""
    configured = getattr(app_settings, name)
    return import_string(configured) if isinstance(configured, str) else configured


def requires_app_password(user: Any) -> bool:
    """HTTPAUTH_REQUIRE_APP_PASSWORD's answer for ``user`` (a second factor, say); False
    without the setting."""
    requires = resolved("REQUIRE_APP_PASSWORD")
    return bool(requires is not None and requires(user))

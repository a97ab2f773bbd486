"""The one flow behind every httpauth decorator and mixin.

``authenticate_or_refuse(request, test, realm)`` returns None when the view may run — the
session's user passes ``test``, or Basic credentials name a user who does — and otherwise
the response to send: 401 with a challenge, 403, or 429 while django-axes locks the client
out. A user accepted through Basic is ``request.user`` for this request only: no
``login()``, no session, no cookie, so a reader polling every few minutes adds nothing to
the sessions cluster. ``mark_private`` marks whatever the view then answers as that user's.

Verifying a password costs a deliberately slow hash (PBKDF2, a million iterations). A
reader polls with the same credentials again and again, so a success is remembered for
HTTPAUTH_CACHE_TTL seconds (httpauth.credential_cache); a deactivation, checked on every hit
(the user's row, read by name through httpauth.users), ends it at once. Before any of it,
django-axes' lockout and the address throttle (httpauth.throttle) are asked; and a user
HTTPAUTH_REQUIRE_APP_PASSWORD names (a second factor, say) gets in with an app password only,
whatever the credential cache holds. Once the user's row is read, every key of the credential
cache the request will read, the view's too (``read_ahead_keys``), is read in one round trip
(httpauth.read_ahead). A malformed header is challenged like a missing one; its reason is
logged at DEBUG on the ``httpauth`` logger, for whoever debugs a reader.

Each check of credentials sends ``basic_auth_checked`` (httpauth.signals), and
``credentials_used(request)`` says afterwards which kind of Basic credentials came, for
whatever counts them (a project's metrics).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from httpauth import credential_cache, read_ahead, throttle
from httpauth.backends import BASIC_ATTEMPT, AppPasswordBackend
from httpauth.conf import app_settings, requires_app_password
from httpauth.lockout import is_locked_out, lockout_response, lockout_seconds
from httpauth.models import AppPassword
from httpauth.parser import MalformedCredentials, parse_basic
from httpauth.signals import basic_auth_checked
from httpauth.users import user_named

logger = logging.getLogger("httpauth")
APP_PASSWORD_BACKEND = f"{AppPasswordBackend.__module__}.{AppPasswordBackend.__qualname__}"
#: Where a request keeps the kind of Basic credentials it came with (``credentials_used``).
CREDENTIALS_ATTRIBUTE = "_httpauth_credentials"
BASIC, APP_PASSWORD = "basic", "app_password"
R = TypeVar("R", bound=HttpResponseBase)
#: What a view reads from HTTPAUTH_CACHE_ALIAS: ``keys(request)``, read with httpauth's own.
ReadAhead = Callable[[HttpRequest], Iterable[str]] | None


def authenticate_or_refuse(
    request: HttpRequest,
    test: Callable[[Any], bool],
    realm: str | None = None,
    read_ahead_keys: ReadAhead = None,
) -> HttpResponse | None:
    realm = realm or app_settings.REALM
    header = request.META.get("HTTP_AUTHORIZATION")
    if test(request.user):
        return None
    if request.user.is_authenticated and not header:
        return _page(request, 403, "forbidden", realm)  # signed in, not allowed: no prompt
    try:
        credentials = parse_basic(header)
    except MalformedCredentials as malformed:  # its message never holds the credentials
        logger.debug("Refused a malformed Basic header: %s", malformed)
        credentials = None
    if credentials is None:
        return _challenge(request, realm)
    if not _transport_allows_basic(request):
        return _page(request, 403, "https_required", realm)
    setattr(request, CREDENTIALS_ATTRIBUTE, BASIC)
    try:
        user = _verify(request, *credentials, read_ahead_keys)
    except MustWait as wait:
        _signal_checked(request, "locked_out")
        return lockout_response(request, seconds=wait.seconds)
    if user is None:
        _signal_checked(request, "refused")
        if getattr(request, "axes_locked_out", False):  # this very failure locked it out
            return lockout_response(request)
        # With HTTPAUTH_REQUIRE_APP_PASSWORD, every refusal names app passwords, whoever the
        # user: one answer for all, so that it tells no one which accounts need them.
        refused = "app_password_required" if app_settings.REQUIRE_APP_PASSWORD else "unauthorized"
        return _challenge(request, realm, refused)
    if getattr(user, "backend", None) == APP_PASSWORD_BACKEND:
        setattr(request, CREDENTIALS_ATTRIBUTE, APP_PASSWORD)
    request.user = user

    async def auser() -> Any:  # what async views await instead of request.user
        return user

    request.auser = auser
    if not test(user):
        return _page(request, 403, "forbidden", realm)
    return None


def credentials_used(request: HttpRequest) -> str | None:
    """Return "basic" or "app_password" for a request whose Basic credentials were checked
    (a refused app password is "basic": nothing says what it was), None for the others."""
    return getattr(request, CREDENTIALS_ATTRIBUTE, None)


def _signal_checked(request: HttpRequest, result: str) -> None:
    basic_auth_checked.send(sender=None, request=request, result=result)


def mark_private(response: R) -> R:
    """A protected view answers for the user who asked, by cookie or by Basic credentials:
    no shared cache may keep it or hand it to anyone else."""
    patch_vary_headers(response, ("Authorization", "Cookie"))
    patch_cache_control(response, private=True)
    return response


class MustWait(Exception):
    """The client must wait ``seconds``: locked out, or its address throttled."""

    def __init__(self, seconds: int | None) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _verify(
    request: HttpRequest, user_part: str, password: str, read_ahead_keys: ReadAhead = None
) -> Any:
    username = _username(user_part)
    if is_locked_out(request, username):
        return _app_password_or_wait(request, username, password, lockout_seconds(request))
    # What an app password looks like: one indexed query finds it and its user, before
    # anything else is asked (it is never remembered: a revoked one must stop at once). An
    # account password may look like one too; it goes on to the full check.
    looks_like_one = password.startswith(AppPassword.PREFIX)
    if looks_like_one and (user := _app_password_user(request, username, password)) is not None:
        _signal_checked(request, "verified")
        return user
    user = user_named(username)
    active = user is not None and user.is_active
    # A user HTTPAUTH_REQUIRE_APP_PASSWORD names gets in with an app password only: the
    # credential cache, which may remember the account password from before, is not asked.
    app_password_only = active and requires_app_password(user)
    remembered_as = (
        credential_cache.key(username, password, user) if active and not app_password_only else None
    )
    # Every key this request reads from the credential cache, in one round trip: the
    # throttle's copy, the remembered verification, and the view's own (httpauth.read_ahead).
    read_ahead.read(
        request,
        [
            throttle.key(request),
            remembered_as,
            *(read_ahead_keys(request) if read_ahead_keys else ()),
        ],
    )
    if throttle.throttled(request):
        return _app_password_or_wait(
            request,
            username,
            password,
            app_settings.ADDRESS_FAILURE_WINDOW,
            tried=looks_like_one,
        )
    if app_password_only:
        # The account password is never even checked; nor an app password twice.
        return _app_password_or_refuse(request, username, password, tried=looks_like_one)
    if active and credential_cache.remembered(remembered_as, request) == user.pk:
        _signal_checked(request, "cached")
        return user
    # The full check: django-axes, app passwords, then the password hash. An unknown user
    # costs the same hash as a wrong password (ModelBackend hashes for nobody, too).
    with _basic_attempt(request):
        user = authenticate(request=request, username=username, password=password)
    if user is None or not user.is_active:
        throttle.count_failure(request)
        return None
    _signal_checked(request, "verified")
    # authenticate() notes the backend that let the user in on the user.
    if app_settings.CACHE_TTL and getattr(user, "backend", None) != APP_PASSWORD_BACKEND:
        # App passwords are checked cheaply anyway, and must stop the moment they are revoked.
        credential_cache.remember(
            credential_cache.key(username, password, user), user.pk, app_settings.CACHE_TTL
        )
    return user


def _app_password_or_refuse(
    request: HttpRequest, username: str, password: str, *, tried: bool
) -> Any:
    """For a user who may read with app passwords only: the user, or None, counted as a
    failure. One query for every password (``tried``: it was made already)."""
    user = None if tried else _app_password_user(request, username, password)
    if user is None:
        throttle.count_failure(request)
        return None
    _signal_checked(request, "verified")
    return user


def _app_password_or_wait(
    request: HttpRequest, username: str, password: str, seconds: int | None, *, tried: bool = False
) -> Any:
    """While a client must wait (locked out, or its address throttled), one answer, 429, for
    every password, and the same work behind it: no credential cache, no password hash.
    Otherwise a remembered password would answer 200 where a guess answers 429, telling a
    guesser which guess was right. Only an app password gets through: 256 random bits cannot
    be guessed, and readers use them (docs/httpauth.md, "Brute force"). Its one query is made
    for every password (``tried``: it was made already)."""
    user = None if tried else _app_password_user(request, username, password)
    if user is None:
        raise MustWait(seconds)
    _signal_checked(request, "verified")
    return user


def _app_password_user(request: HttpRequest, username: str, password: str) -> Any:
    """The active user whose app password this is, or None; one indexed query, no hash."""
    with _basic_attempt(request):
        user = AppPasswordBackend().authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    user.backend = APP_PASSWORD_BACKEND  # as authenticate() notes it
    return user


@contextlib.contextmanager
def _basic_attempt(request: HttpRequest) -> Iterator[None]:
    """Mark the request as a Basic attempt, the only kind AppPasswordBackend answers."""
    setattr(request, BASIC_ATTEMPT, True)
    try:
        yield
    finally:
        delattr(request, BASIC_ATTEMPT)


def _username(user_part: str) -> str:
    """Map an email address that belongs to exactly one active user to that user's name."""
    if not app_settings.ALLOW_EMAIL or "@" not in user_part:
        return user_part
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    owners = list(
        user_model._default_manager.filter(
            **{f"{email_field}__iexact": user_part, "is_active": True}
        ).values_list(user_model.USERNAME_FIELD, flat=True)[:2]
    )
    return owners[0] if len(owners) == 1 else user_part


def _transport_allows_basic(request: HttpRequest) -> bool:
    if not app_settings.REQUIRE_HTTPS or request.is_secure() or settings.DEBUG:
        return True
    # Plain HTTP from this machine to this machine (development, tests). A proxy on the same
    # machine connects from loopback too, but forwards the public host name: refused.
    host = request.get_host().rsplit(":", 1)[0].strip("[]")
    return _is_loopback(request.META.get("REMOTE_ADDR", "")) and (
        host == "localhost" or _is_loopback(host)
    )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


MESSAGES = {
    "unauthorized": "This address needs a username and password.",
    "app_password_required": (
        "The username and password were refused. If your account has a second factor, your "
        "own password is never accepted here: give your reader an app password."
    ),
    "forbidden": "Your account may not read this.",
    "https_required": "Usernames and passwords are only accepted over HTTPS here.",
}


def _challenge(request: HttpRequest, realm: str, reason: str = "unauthorized") -> HttpResponse:
    response = _page(request, 401, reason, realm)
    # RFC 7617: realm is a quoted-string; charset tells clients to send UTF-8.
    quoted = realm.replace("\\", "\\\\").replace('"', '\\"')
    response["WWW-Authenticate"] = f'Basic realm="{quoted}", charset="UTF-8"'
    return response


def _page(request: HttpRequest, status: int, reason: str, realm: str) -> HttpResponse:
    body = render_to_string(
        "httpauth/refused.html",
        {
            "status": status,
            "message": MESSAGES[reason],
            "realm": realm,
            "login_url": resolve_url(settings.LOGIN_URL),
            "next": request.get_full_path(),
        },
        request=request,
    )
    response = HttpResponse(body, status=status)
    add_never_cache_headers(response)
    return response

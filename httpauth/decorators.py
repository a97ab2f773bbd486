"""``logged_in_or_basicauth`` and ``has_perm_or_basicauth``: for views that browsers reach
with a session and feed readers with HTTP Basic.

Each works bare or called, on function views (sync or async) and on any callable, such as a
``django.contrib.syndication`` ``Feed()`` instance::

    @logged_in_or_basicauth
    def feed(request): ...

    @logged_in_or_basicauth(realm="Members")
    def members_feed(request): ...

    @has_perm_or_basicauth("feeds.view_entry", realm="Staff")
    def staff_feed(request): ...

    path("members.rss", logged_in_or_basicauth(realm="Members")(MembersFeed()))

``read_ahead=keys``: ``keys(request)`` names what the view will read from HTTPAUTH_CACHE_ALIAS
(a rendering it keeps there, say), read in the same round trip as httpauth's own keys on a
Basic request; the view reads them back with ``httpauth.read_ahead.take``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest

from httpauth.basic import ReadAhead, authenticate_or_refuse, mark_private

#: A view function, sync or async.
View = Callable[..., Any]
Decorator = Callable[[View], View]


def _is_authenticated(user: Any) -> bool:
    return bool(user.is_authenticated)


def basicauth_required(
    test: Callable[[Any], bool], realm: str | None = None, read_ahead: ReadAhead = None
) -> Decorator:
    """Return a decorator letting through requests whose user — from the session or from
    Basic credentials — passes ``test(user)``."""

    def decorator(view: View) -> View:
        if iscoroutinefunction(view):

            async def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                refused = await sync_to_async(authenticate_or_refuse)(
                    request, test, realm, read_ahead
                )
                if refused is not None:
                    return refused
                return mark_private(await view(request, *args, **kwargs))

        else:

            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]  # the sync twin of the async wrapper above
                refused = authenticate_or_refuse(request, test, realm, read_ahead)
                if refused is not None:
                    return refused
                return mark_private(view(request, *args, **kwargs))

        # It decides who may pass, Basic included: Django's LoginRequiredMiddleware (5.1+)
        # must let it, not send every reader to the sign-in page first.
        return cast(View, login_not_required(wraps(view)(wrapper)))

    return decorator


def logged_in_or_basicauth(
    view: View | str | None = None, *, realm: str | None = None, read_ahead: ReadAhead = None
) -> View | Decorator:
    """Require a signed-in user, or Basic credentials of an active user."""
    if isinstance(view, str):
        raise TypeError(
            f"logged_in_or_basicauth takes the realm by keyword: realm={view!r}, not {view!r}."
        )
    decorator = basicauth_required(_is_authenticated, realm, read_ahead)
    return decorator if view is None else decorator(view)


def has_perm_or_basicauth(
    perm: str | Iterable[str], *, realm: str | None = None, read_ahead: ReadAhead = None
) -> Decorator:
    """Require a user holding ``perm`` (or every permission of a list or tuple)."""
    perms = (perm,) if isinstance(perm, str) else tuple(perm)

    def has_perms(user: Any) -> bool:
        return bool(user.is_authenticated and user.has_perms(perms))

    return basicauth_required(has_perms, realm, read_ahead)

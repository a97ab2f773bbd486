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
"""

from functools import wraps

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.decorators import login_not_required

from httpauth.basic import authenticate_or_refuse, mark_private


def _is_authenticated(user):
    return user.is_authenticated


def basicauth_required(test, realm=None):
    """Return a decorator letting through requests whose user — from the session or from
    Basic credentials — passes ``test(user)``."""

    def decorator(view):
        if iscoroutinefunction(view):

            async def wrapper(request, *args, **kwargs):
                refused = await sync_to_async(authenticate_or_refuse)(request, test, realm)
                if refused is not None:
                    return refused
                return mark_private(await view(request, *args, **kwargs))

        else:

            def wrapper(request, *args, **kwargs):
                refused = authenticate_or_refuse(request, test, realm)
                if refused is not None:
                    return refused
                return mark_private(view(request, *args, **kwargs))

        # It decides who may pass, Basic included: Django's LoginRequiredMiddleware (5.1+)
        # must let it, not send every reader to the sign-in page first.
        return login_not_required(wraps(view)(wrapper))

    return decorator


def logged_in_or_basicauth(view=None, *, realm=None):
    """Require a signed-in user, or Basic credentials of an active user."""
    if isinstance(view, str):
        raise TypeError(
            f"logged_in_or_basicauth takes the realm by keyword: realm={view!r}, not {view!r}."
        )
    decorator = basicauth_required(_is_authenticated, realm)
    return decorator if view is None else decorator(view)


def has_perm_or_basicauth(perm, *, realm=None):
    """Require a user holding ``perm`` (or every permission of a list or tuple)."""
    perms = (perm,) if isinstance(perm, str) else tuple(perm)

    def has_perms(user):
        return user.is_authenticated and user.has_perms(perms)

    return basicauth_required(has_perms, realm)

"""Class-based twins of the decorators, for sync and async views::

class MembersFeedView(LoginOrBasicAuthRequiredMixin, View):
    basic_auth_realm = "Members"

class StaffFeedView(PermissionOrBasicAuthRequiredMixin, View):
    permission_required = "feeds.view_entry"
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from httpauth.basic import authenticate_or_refuse, mark_private

if TYPE_CHECKING:  # what the mixin is mixed into: a class-based view
    from django.views import View as _View
else:
    _View = object


class BasicAuthRequiredMixin(_View):
    basic_auth_realm: str | None = None  # None: HTTPAUTH_REALM

    def basic_auth_test(self, user: Any) -> bool:
        raise NotImplementedError(f"{type(self).__name__} must define basic_auth_test(user).")

    def basic_auth_read_ahead(self, request: HttpRequest) -> Iterable[str]:
        """Keys of HTTPAUTH_CACHE_ALIAS the view will read: read in httpauth's round trip on a
        Basic request (the decorators' ``read_ahead``)."""
        return ()

    # as_view() copies dispatch's attributes onto the view: Django's LoginRequiredMiddleware
    # (5.1+) then lets httpauth decide, Basic included, as with the decorators.
    @login_not_required
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "view_is_async", False):
            return self._adispatch(request, *args, **kwargs)
        refused = authenticate_or_refuse(
            request, self.basic_auth_test, self.basic_auth_realm, self.basic_auth_read_ahead
        )
        if refused is not None:
            return refused
        return mark_private(super().dispatch(request, *args, **kwargs))

    async def _adispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        refused = await sync_to_async(authenticate_or_refuse)(
            request, self.basic_auth_test, self.basic_auth_realm, self.basic_auth_read_ahead
        )
        if refused is not None:
            return refused
        # An async view's dispatch() returns a coroutine; django-stubs types the sync one.
        return mark_private(await super().dispatch(request, *args, **kwargs))  # type: ignore[misc]


class LoginOrBasicAuthRequiredMixin(BasicAuthRequiredMixin):
    """Require a signed-in user, or Basic credentials of an active user."""

    def basic_auth_test(self, user: Any) -> bool:
        return bool(user.is_authenticated)


class PermissionOrBasicAuthRequiredMixin(BasicAuthRequiredMixin):
    """Require ``permission_required`` (a permission, or a list or tuple of them)."""

    permission_required: str | Iterable[str] | None = None

    def get_permission_required(self) -> tuple[str, ...]:
        if self.permission_required is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} is missing the permission_required attribute. "
                f"Define {type(self).__name__}.permission_required, or override "
                f"{type(self).__name__}.get_permission_required()."
            )
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return tuple(self.permission_required)

    def basic_auth_test(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.has_perms(self.get_permission_required()))

"""Accept an app password as the password of its user, on the HTTP Basic path only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from httpauth.models import AppPassword, digest

#: Set on a request by httpauth while it checks Basic credentials; nowhere else.
BASIC_ATTEMPT = "_httpauth_basic_attempt"


class AppPasswordBackend(BaseBackend):
    """Put it before ModelBackend in AUTHENTICATION_BACKENDS (check httpauth.W002): an app
    password is then recognised with one indexed query, before any slow password hash.

    The sign-in form and the admin call ``authenticate()`` too; they never carry the Basic
    mark, so app passwords cannot open a session.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:  # the project's user model, or None
        if not getattr(request, BASIC_ATTEMPT, False) or not username or not password:
            return None
        username_field = get_user_model().USERNAME_FIELD
        app_password = (
            AppPassword.objects.select_related("user")
            .filter(digest=digest(password), **{f"user__{username_field}": username})
            .first()
        )
        if app_password is None or not app_password.user.is_active:
            return None
        app_password.note_use(request.META.get("HTTP_USER_AGENT", "") if request else "")
        return app_password.user

    def get_user(self, user_id: Any) -> Any:  # the project's user model, or None
        user_model = get_user_model()
        return user_model._default_manager.filter(pk=user_id, is_active=True).first()

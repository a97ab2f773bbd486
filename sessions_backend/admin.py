"""An admin action for the user model's admin: "Sign out everywhere".

This app changes no admin by itself. Offer the action in your user admin::

    from sessions_backend.admin import sign_out_everywhere

    @admin.register(User)
    class UserAdmin(django.contrib.auth.admin.UserAdmin):
        actions = [sign_out_everywhere]
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from sessions_backend import user_sessions
from sessions_backend.outage import SessionStoreUnavailable


@admin.action(description="Sign out everywhere", permissions=["change"])
def sign_out_everywhere(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    """End every session of each selected user (for staff who may change users)."""
    users = list(queryset)
    try:
        for user in users:
            user_sessions.sign_out_everywhere(user)
    except SessionStoreUnavailable:
        modeladmin.message_user(
            request, "The sessions cluster is unavailable; try again.", messages.ERROR
        )
        return
    modeladmin.message_user(
        request, f"Signed out {len(users)} user{'s' if len(users) != 1 else ''} everywhere."
    )

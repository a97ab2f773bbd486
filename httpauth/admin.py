from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from httpauth.models import AppPassword

if TYPE_CHECKING:  # generic in django-stubs only
    _ModelAdmin = admin.ModelAdmin[AppPassword]
else:
    _ModelAdmin = admin.ModelAdmin


@admin.register(AppPassword)
class AppPasswordAdmin(_ModelAdmin):
    """Revoke (delete) app passwords; they are created by their owners, who see them once."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    list_filter = ["created_at", "last_used_at"]
    search_fields = ["name", "user__username", "user__email"]
    readonly_fields = ["user", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

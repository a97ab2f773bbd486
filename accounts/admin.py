from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from httpauth.reader_access import held, in_words, revoked_between
from sessions_backend import admin as sessions_admin

if TYPE_CHECKING:  # generic in django-stubs only
    _UserAdmin = DjangoUserAdmin[User]
else:
    _UserAdmin = DjangoUserAdmin


@admin.action(description="Sign out everywhere", permissions=["change"])
def sign_out_everywhere(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    """sessions_backend's action, saying what it leaves: feed readers' secrets and Basic with
    the password still read. An admin containing a stolen account must know that."""
    sessions_admin.sign_out_everywhere(modeladmin, request, queryset)
    kept: Counter[Any] = Counter()
    for user in queryset:
        kept.update(held(user))
    readers = in_words(dict(kept))
    modeladmin.message_user(
        request,
        f"Feed readers still read{f' ({readers})' if readers else ''}, and so does the "
        "password over HTTP Basic: to end those too, set a new password (“Change password” "
        "on the user's page), which revokes every app password and secret feed address.",
        messages.WARNING,
    )


@admin.register(User)
class UserAdmin(_UserAdmin):
    # Ends every session of the selected users, on every device (sessions_backend), and says
    # what it leaves.
    actions = [sign_out_everywhere]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's, saying what the new password revoked (httpauth.reader_access)."""
        user = self.get_object(request, unquote(id))
        had = held(user) if user is not None else {}
        response = super().user_change_password(request, id, form_url)
        changed = request.method == "POST" and response.status_code == 302
        if user is not None and changed and (revoked := in_words(revoked_between(had, held(user)))):
            self.message_user(
                request, f"Revoked with the old password: {revoked}.", messages.WARNING
            )
        return response

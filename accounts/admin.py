from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from httpauth.reader_access import held, in_words, revoked_between
from sessions_backend.admin import sign_out_everywhere

if TYPE_CHECKING:  # generic in django-stubs only
    _UserAdmin = DjangoUserAdmin[User]
else:
    _UserAdmin = DjangoUserAdmin


@admin.register(User)
class UserAdmin(_UserAdmin):
    # Ends every session of the selected users, on every device (sessions_backend).
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

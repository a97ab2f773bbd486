from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from httpauth.models import AppPassword
from sessions_backend.admin import sign_out_everywhere


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Ends every session of the selected users, on every device (sessions_backend).
    actions = [sign_out_everywhere]

    def user_change_password(self, request, id, form_url=""):
        """Django's, saying that the new password revoked the user's app passwords."""
        had = AppPassword.objects.filter(user_id=id).count()
        response = super().user_change_password(request, id, form_url)
        if had and request.method == "POST" and response.status_code == 302:
            revoked = had - AppPassword.objects.filter(user_id=id).count()
            self.message_user(
                request,
                f"{revoked} app password{'s' if revoked != 1 else ''} of this user "
                f"{'were' if revoked != 1 else 'was'} revoked with the old password.",
                messages.WARNING,
            )
        return response

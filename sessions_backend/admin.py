"""An admin action for the user model's admin: "Sign out everywhere".

This app changes no admin by itself. Offer the action in your user admin::

    from sessions_backend.admin import sign_out_everywhere

    @admin.register(User)
    class UserAdmin(django.contrib.auth.admin.UserAdmin):
        actions = [sign_out_everywhere]
"""

from django.contrib import admin, messages

from sessions_backend import user_sessions
from sessions_backend.outage import SessionStoreUnavailable


@admin.action(description="Sign out everywhere", permissions=["change"])
def sign_out_everywhere(modeladmin, request, queryset):
    """End every listed session of each selected user (for staff who may change users)."""
    ended = 0
    try:
        for user in queryset:
            ended += user_sessions.sign_out_all(user.pk)
    except SessionStoreUnavailable:
        modeladmin.message_user(
            request, "The sessions cluster is unavailable; try again.", messages.ERROR
        )
        return
    modeladmin.message_user(request, f"Ended {ended} sessions of {len(queryset)} users.")

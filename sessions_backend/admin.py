"""An admin action on users: "Sign out everywhere"."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from sessions_backend import index
from sessions_backend.outage import SessionStoreUnavailable


@admin.action(description="Sign out everywhere")
def sign_out_everywhere(modeladmin, request, queryset):
    ended = 0
    try:
        for user in queryset:
            ended += index.sign_out_all(user.pk)
    except SessionStoreUnavailable:
        modeladmin.message_user(
            request, "The sessions cluster is unavailable; try again.", messages.ERROR
        )
        return
    modeladmin.message_user(request, f"Ended {ended} sessions of {len(queryset)} users.")


# Extend whichever admin the user model already has (django.contrib.auth's by default).
User = get_user_model()
if admin.site.is_registered(User):
    UserAdmin = type(admin.site.get_model_admin(User))
    admin.site.unregister(User)
else:
    UserAdmin = admin.ModelAdmin


@admin.register(User)
class SessionsUserAdmin(UserAdmin):
    actions = (*(UserAdmin.actions or ()), sign_out_everywhere)

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from sessions_backend.admin import sign_out_everywhere


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Ends every session of the selected users, on every device (sessions_backend).
    actions = [sign_out_everywhere]

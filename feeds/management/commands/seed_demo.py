"""Create the demo users, idempotently; ``--remove`` takes them away again."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# username -> (description, is_staff)
DEMO_USERS = {
    "alice": ("a member", False),
    "bob": ("staff", True),
}
SUPERUSER_VARIABLES = ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_PASSWORD")


class Command(BaseCommand):
    help = (
        "Create the demo users alice (a member) and bob (staff). Passwords come from "
        "DEMO_PASSWORD, or are generated and printed once. A superuser is created too when "
        "DJANGO_SUPERUSER_USERNAME and DJANGO_SUPERUSER_PASSWORD are set. Existing users are "
        "left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="Delete the demo users instead.")

    def handle(self, *args, remove, **options):
        if remove:
            self.remove_demo_users()
            return
        with transaction.atomic():
            for username, (description, is_staff) in DEMO_USERS.items():
                self.create_user(username, description, is_staff=is_staff)
            self.create_superuser()

    def create_user(self, username, description, *, is_staff):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"{username} ({description}) exists; left unchanged.")
            return
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            is_staff=is_staff,
        )
        if os.environ.get("DEMO_PASSWORD"):
            self.stdout.write(f"Created {username} ({description}) with DEMO_PASSWORD.")
        else:
            self.stdout.write(
                f"Created {username} ({description}) with password {password} "
                f"(shown once; change it with: manage.py changepassword {username})"
            )

    def create_superuser(self):
        username, password = (os.environ.get(name) for name in SUPERUSER_VARIABLES)
        if not (username or password):
            return
        if not (username and password):
            raise CommandError(f"Set both {' and '.join(SUPERUSER_VARIABLES)}, or neither.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Superuser {username} exists; left unchanged.")
            return
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(f"Created superuser {username}.")

    def remove_demo_users(self):
        deleted, _ = get_user_model().objects.filter(username__in=DEMO_USERS).delete()
        self.stdout.write(f"Removed the demo users ({deleted} objects deleted).")

"""Create the superuser the environment names, once: what `docker compose up` runs on start."""

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME, PASSWORD, EMAIL = (
    "DJANGO_SUPERUSER_USERNAME",
    "DJANGO_SUPERUSER_PASSWORD",
    "DJANGO_SUPERUSER_EMAIL",
)


class Command(BaseCommand):
    help = (
        f"Create the superuser named by {USERNAME}, with {PASSWORD} (and {EMAIL}), unless a "
        "user of that name exists; do nothing when neither variable is set. Django's "
        "createsuperuser --noinput reads the same variables but fails when the user exists, "
        "so it cannot run on every start."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        username, password = os.environ.get(USERNAME), os.environ.get(PASSWORD)
        if not (username or password):
            return
        if not (username and password):
            raise CommandError(f"Set both {USERNAME} and {PASSWORD}, or neither.")
        user_model = get_user_model()
        if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
            self.stdout.write(f"Superuser {username} exists; left unchanged.")
            return
        user_model._default_manager.create_superuser(
            password=password,
            **{
                user_model.USERNAME_FIELD: username,
                user_model.get_email_field_name(): os.environ.get(EMAIL, ""),
            },
        )
        self.stdout.write(f"Created superuser {username}.")

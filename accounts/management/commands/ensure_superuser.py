"""Create the superuser the environment names, once: what `docker compose up` runs on start.

Each variable may come from a file instead, as Docker and Kubernetes mount secrets:
``DJANGO_SUPERUSER_PASSWORD_FILE`` (project.env), so the password need not sit in a
ConfigMap or a compose file.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from project.env import EnvError, env_str

USERNAME, PASSWORD, EMAIL = (
    "DJANGO_SUPERUSER_USERNAME",
    "DJANGO_SUPERUSER_PASSWORD",
    "DJANGO_SUPERUSER_EMAIL",
)


class Command(BaseCommand):
    help = (
        f"Create the superuser named by {USERNAME}, with {PASSWORD} (and {EMAIL}; each may "
        "come from the file a <NAME>_FILE variable names), unless a "
        "user of that name exists; do nothing when neither variable is set. Django's "
        "createsuperuser --noinput reads the same variables but fails when the user exists, "
        "so it cannot run on every start."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            username, password, email = env_str(USERNAME), env_str(PASSWORD), env_str(EMAIL, "")
        except EnvError as exc:  # a <NAME>_FILE that cannot be read
            raise CommandError(str(exc)) from None
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
                user_model.get_email_field_name(): email,
            },
        )
        self.stdout.write(f"Created superuser {username}.")

"""manage.py release: what runs once per release, before the new code serves a request.

Every place that deploys the site runs this one command (the compose files, the Kubernetes
Job, ``make run``), so a step is written once, here or in the app it belongs to:

1. with ``--deploy``, ``check --deploy``: an error stops the release;
2. ``migrate --noinput``;
3. each installed app's own steps, in ``INSTALLED_APPS`` order: the commands its AppConfig
   lists in ``release_commands`` (accounts: ``ensure_superuser``; demo: ``seed_demo
   --if-enabled``). An app removed from ``INSTALLED_APPS`` takes its steps with it.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the release steps: check --deploy (with --deploy), migrate, then each installed "
        "app's release_commands (ensure_superuser, seed_demo --if-enabled)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--deploy",
            action="store_true",
            help="Run the deployment checks first; an error stops the release (production).",
        )

    def handle(self, *args, deploy, **options):
        if deploy:
            call_command("check", deploy=True, stdout=self.stdout, stderr=self.stderr)
        call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)
        for command in release_commands():
            self.stdout.write(f"Release step: manage.py {' '.join(command)}")
            call_command(*command, stdout=self.stdout, stderr=self.stderr)


def release_commands():
    """Each installed app's release steps, as ``manage.py`` arguments, in app order."""
    return [
        tuple(command)
        for config in apps.get_app_configs()
        for command in getattr(config, "release_commands", ())
    ]

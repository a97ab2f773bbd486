from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The site itself: its home and error pages' templates and stylesheet, its deployment
    checks (project.checks) and its release step (manage.py release)."""

    name = "project"
    verbose_name = "Site"

    def ready(self):
        from project import checks  # noqa: F401 - registers the checks

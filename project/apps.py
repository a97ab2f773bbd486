from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The site itself: its pages' templates and stylesheet, its permissions
    (project.models) and its deployment checks (project.checks)."""

    name = "project"
    verbose_name = "Site"

    def ready(self):
        from project import checks  # noqa: F401 - registers the checks

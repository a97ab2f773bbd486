from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"
    #: Run by ``manage.py release`` after the migrations: the superuser the environment names.
    release_commands = (("ensure_superuser",),)

    def ready(self) -> None:
        from accounts import checks  # noqa: F401 - registers them

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"
    #: Run by ``manage.py release`` after the migrations: the superuser the environment names.
    release_commands = (("ensure_superuser",),)

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice

        from accounts import checks  # noqa: F401 - registers them
        from accounts.second_factor import FACTORS, keep_has_second_factor, note_password_sign_in

        user_logged_in.connect(note_password_sign_in, dispatch_uid="accounts.note_password_sign_in")
        for model in (*FACTORS, StaticDevice):
            for signal in (post_save, post_delete):
                signal.connect(
                    keep_has_second_factor, sender=model, dispatch_uid=f"accounts.{model.__name__}"
                )

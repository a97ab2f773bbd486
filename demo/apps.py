from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo data"
    #: Run by ``manage.py release`` after the migrations: the demo data, unless SEED_DEMO=false.
    release_commands = (("seed_demo", "--if-enabled"),)

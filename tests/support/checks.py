"""Django's system checks as the tests run them."""

from django.core import checks


def run_checks(**kwargs):
    """``django.core.checks.run_checks`` with no database to consult, as on Django 5.2 by
    default: from 6.1 it asks every alias, and a JSONField (django-otp-webauthn's) then opens
    a connection, which tests without the database may not."""
    kwargs.setdefault("databases", [])
    return checks.run_checks(**kwargs)

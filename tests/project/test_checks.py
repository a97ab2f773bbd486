"""project.checks: what `check --deploy` says about the site's own settings (SECURITY.md,
findings 2 and 7)."""

from django.core import checks

from project.mail import SMTP, UNSENT, mail_settings
from tests.support.checks import run_checks

SITE_URL_UNSET = checks.Error(
    "DJANGO_SITE_URL is not set: password reset links, feeds and the OPML file take their "
    "origin, port included, from the Host each request names.",
    hint="Set DJANGO_SITE_URL to the site's origin, such as https://www.example.com.",
    id="project.E001",
)
EMAIL_UNSET = checks.Warning(
    "DJANGO_EMAIL_HOST is not set: no email is sent, and password reset answers 503 (a link "
    "written to the log would let its readers take accounts over).",
    hint="Set DJANGO_EMAIL_HOST, and the other DJANGO_EMAIL_* variables, to your SMTP server.",
    id="project.W001",
)


def site_checks():
    found = run_checks(include_deployment_checks=True)
    return sorted((m for m in found if m.id.startswith("project.")), key=lambda m: m.id)


def use_mail(settings, backend, **options):
    for name, value in mail_settings(backend, **options).items():
        setattr(settings, name, value)


def test_the_tests_settings_have_neither_a_site_url_nor_a_mail_server(settings):
    use_mail(settings, UNSENT)
    assert site_checks() == [SITE_URL_UNSET, EMAIL_UNSET]


def test_with_both_set_the_site_passes(settings):
    settings.SITE_URL = "https://www.example.com"
    use_mail(settings, SMTP, host="smtp.example.com", port=587)
    assert site_checks() == []


def test_in_debug_neither_is_needed(settings):
    settings.DEBUG = True
    use_mail(settings, UNSENT)
    assert site_checks() == []


def test_the_checks_run_only_with_deploy(settings):
    use_mail(settings, UNSENT)
    assert [m for m in run_checks() if m.id.startswith("project.")] == []

"""The site's own deployment checks (``manage.py check --deploy``; the production compose
file's migrate step runs it, failing on errors).

E001  DEBUG is off and DJANGO_SITE_URL is unset: links take the origin from each request.
W001  DEBUG is off and DJANGO_EMAIL_HOST is unset: no email is sent; password reset is off.
"""

from django.conf import settings
from django.core import checks

from project.mail import UNSENT, sending_backend


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if settings.DEBUG or settings.SITE_URL:
        return []
    return [
        checks.Error(
            "DJANGO_SITE_URL is not set: password reset links, feeds and the OPML file take "
            "their origin, port included, from the Host each request names.",
            hint="Set DJANGO_SITE_URL to the site's origin, such as https://www.example.com.",
            id="project.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_email(app_configs, **kwargs):
    if settings.DEBUG or sending_backend() != UNSENT:
        return []
    return [
        checks.Warning(
            "DJANGO_EMAIL_HOST is not set: no email is sent, and password reset answers 503 "
            "(a link written to the log would let its readers take accounts over).",
            hint="Set DJANGO_EMAIL_HOST, and the other DJANGO_EMAIL_* variables, to your SMTP "
            "server.",
            id="project.W001",
        )
    ]

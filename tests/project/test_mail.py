"""project.mail: where email goes (SECURITY.md, finding 2): to the log, link whole, in DEBUG
only; nowhere, with a warning, outside DEBUG without a mail server; and the settings for
either Django."""

import json
import os
import subprocess
import sys

import django

from project.mail import CONSOLE, SMTP, mail_settings
from tests.support.daemons import BASE_DIR

LINK = "https://www.example.com/accounts/reset/MQ/cz1x9h-0123456789abcdef0123456789abcdef/"
SEND = f"""
from django.core.mail import send_mail
send_mail("Reset your password", "Follow:\\n{LINK}\\n", "site@example.com", ["bob@example.com"])
"""


def send_one_email(**env):
    """Send an email from ``manage.py shell`` with the site's settings and ``env``; return
    what the process wrote to stdout and to stderr (the log)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SEND],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SECRET_KEY": "mail-test-key-" + "x" * 40, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout, result.stderr


def test_in_debug_an_email_is_one_log_record_with_its_link_whole():
    stdout, log = send_one_email(DJANGO_DEBUG="true")
    assert stdout == ""
    assert f"\n{LINK}\n" in log
    assert "Subject: Reset your password\nFrom: site@example.com\nTo: bob@example.com\n" in log


def test_outside_debug_without_a_mail_server_nothing_is_written_but_a_warning():
    stdout, log = send_one_email(DJANGO_DEBUG="false", LOG_FORMAT="json")
    assert stdout == ""
    assert "cz1x9h" not in log
    assert "bob@example.com" not in log
    [line] = [json.loads(line) for line in log.splitlines()]  # every line JSON
    assert (line["level"], line["logger"]) == ("WARNING", "project.mail")
    assert line["message"] == (
        "An email was not sent: no mail server is configured (DJANGO_EMAIL_HOST). "
        "Subject: Reset your password"
    )


def test_settings_for_the_running_django():
    smtp = mail_settings(SMTP, host="mail.example.com", port=25, use_tls=False)
    if django.VERSION >= (6, 1):
        assert smtp == {
            "MAILERS": {
                "default": {
                    "BACKEND": SMTP,
                    "OPTIONS": {"host": "mail.example.com", "port": 25, "use_tls": False},
                }
            }
        }
    else:
        assert smtp == {
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": "mail.example.com",
            "EMAIL_PORT": 25,
            "EMAIL_USE_TLS": False,
        }
    assert CONSOLE in str(mail_settings(CONSOLE))

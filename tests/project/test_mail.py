"""project.mail: email settings for either Django, and email in the log as it reads."""

import io

import django
from django.core.mail import EmailMessage

from project.mail import CONSOLE, SMTP, ConsoleBackend, mail_settings

LINK = "https://www.example.com/accounts/reset/MQ/cz1x9h-0123456789abcdef0123456789abcdef/"


def test_the_log_shows_a_long_link_whole_and_the_addresses():
    stream = io.StringIO()
    message = EmailMessage(
        "Reset your password", f"Follow:\n{LINK}\n", "site@example.com", ["bob@example.com"]
    )
    assert ConsoleBackend(stream=stream).send_messages([message]) == 1
    written = stream.getvalue()
    assert f"\n{LINK}\n" in written
    assert "Subject: Reset your password\nFrom: site@example.com\nTo: bob@example.com\n" in written
    assert written.endswith("-" * 79 + "\n")


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

"""Tests outside this project's settings: the minimal projects that sessions_backend and
httpauth are tested in (tests/settings/<app>.py), and running a part of the suite there."""

import re
import subprocess
import sys

from django.http import HttpResponse

from tests.support.clients import pylibmc_is_a_dependency_here
from tests.support.daemons import BASE_DIR

# The templates of a minimal project: the apps' own, Django's context processors, and
# registration/login.html from tests/templates/, as Django ships none.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tests" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def standalone_site(settings, urlconf):
    """Serve ``urlconf`` as a minimal project does, none of the site's templates included.
    An app's tests use it (with pytest-django's ``settings``) so that they pass the same way
    under the project's settings and under ``tests/settings/<app>.py``."""
    settings.ROOT_URLCONF = urlconf
    settings.TEMPLATES = TEMPLATES
    settings.LOGIN_URL = "login"
    settings.LOGIN_REDIRECT_URL = settings.LOGOUT_REDIRECT_URL = "/"


def whoami(request):
    """What an app's test site answers at "/": who the request's user is."""
    return HttpResponse(f"user={request.user.get_username() or '(anonymous)'}")


def run_pytest(settings_module, *paths):
    """Run pytest on ``paths`` under ``settings_module`` in a process of its own; fail unless
    it ran tests and every one passed (none skipped or failed; none deselected, but the tests
    that need pylibmc where it is not installed: tests/conftest.py)."""
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", *map(str, paths), "-q", "-p", "no:cacheprovider"),
            *("--ds", settings_module),
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    passed = re.fullmatch(
        r"(\d+) passed(, \d+ deselected)? in [\d.]+s(?: \(\d+:\d+:\d+\))?", summary
    )
    assert passed, summary
    assert not passed[2] or not pylibmc_is_a_dependency_here(), summary
    return int(passed[1])

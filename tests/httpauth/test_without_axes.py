"""httpauth in a project that never installed django-axes: it loads, Basic works, failures
are refused without a lockout, and check W003 says how to add one."""

import json
import subprocess
import sys

from tests.support.daemons import BASE_DIR

# The whole project in one script, where `import axes` raises ImportError.
PROJECT_WITHOUT_AXES = """
import base64, json, sys
sys.modules["axes"] = None  # as if the package were not installed

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(
    SECRET_KEY="httpauth-without-axes-0123456789abcdefghijklmnopqrstuvwxyz",
    ALLOWED_HOSTS=["testserver"],
    INSTALLED_APPS=[
        "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
        "httpauth",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    AUTHENTICATION_BACKENDS=[
        "httpauth.backends.AppPasswordBackend", "django.contrib.auth.backends.ModelBackend",
    ],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ROOT_URLCONF="__main__",
    HTTPAUTH_REQUIRE_HTTPS=False,
)
django.setup()

from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client

from httpauth.decorators import logged_in_or_basicauth

@logged_in_or_basicauth
def whoami(request):
    return HttpResponse(request.user.username)

urlpatterns = [path("", whoami)]

call_command("migrate", verbosity=0)
User.objects.create_user("alice", password="the-right-one")

def basic(password):
    return "Basic " + base64.b64encode(f"alice:{password}".encode()).decode()

client = Client()
wrong = [client.get("/", HTTP_AUTHORIZATION=basic("wrong")).status_code for _ in range(10)]
right = client.get("/", HTTP_AUTHORIZATION=basic("the-right-one"))
print(json.dumps({
    "wrong": wrong,
    "right": [right.status_code, right.content.decode()],
    "checks": sorted(message.id for message in run_checks()),
}))
"""


def test_httpauth_works_where_django_axes_is_not_installed():
    result = subprocess.run(
        [sys.executable, "-c", PROJECT_WITHOUT_AXES],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "wrong": [401] * 10,  # never 429: nothing locks out without django-axes
        "right": [200, "alice"],
        "checks": ["httpauth.W003"],
    }

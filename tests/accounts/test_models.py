"""The site's own user model, and every app reaching it through AUTH_USER_MODEL."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

from accounts.models import User

BASE_DIR = Path(settings.BASE_DIR)


def test_the_user_model_is_the_sites_own():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User
    assert apps.get_model("auth", "User")._meta.swapped == "accounts.User"


def test_every_relation_to_a_user_points_at_the_configured_model():
    relations = [
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model is not None
        and not isinstance(field.related_model, str)
        and issubclass(field.related_model, AbstractBaseUser)
        and field.concrete
    ]
    assert ("httpauth.AppPassword", "user") in relations
    for label, name in relations:
        field = apps.get_model(label)._meta.get_field(name)
        assert field.related_model is User, f"{label}.{name} points at {field.related_model}"


SETTINGS_MODULE = BASE_DIR / "project" / "settings.py"


def _user_model_imports(path):
    """Names of user models a module imports from a models module, and "auth.User" strings."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models"):
            found += [alias.name for alias in node.names if alias.name == "User"]
        elif isinstance(node, ast.Constant) and node.value in {"auth.User", "accounts.User"}:
            found.append(node.value)
    return found


def test_no_app_names_the_user_model_outside_accounts():
    """Apps reach the user through get_user_model() or settings.AUTH_USER_MODEL only."""
    app_dirs = [Path(config.path) for config in apps.get_app_configs()]
    ours = [path for path in app_dirs if path.parent == BASE_DIR]
    assert {path.name for path in ours} >= {"accounts", "sessions_backend", "httpauth", "ops"}
    offenders = {
        str(module.relative_to(BASE_DIR)): names
        for app_dir in ours
        if app_dir.name != "accounts"
        for module in app_dir.rglob("*.py")
        # The project's settings choose the model: AUTH_USER_MODEL = "accounts.User".
        if module != SETTINGS_MODULE and (names := _user_model_imports(module))
    }
    assert offenders == {}

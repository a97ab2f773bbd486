"""What a user's feed readers use, and the one rule that ends it.

Every model of secrets given to feed readers subclasses ``httpauth.models.ReaderSecret``
(app passwords here; secret feed addresses in feeds; any of yours), and declares the
``PREFIX`` its secrets start with. A new password set anywhere (a reset, the admin,
``changepassword``, the user's own change) or a deactivation deletes the user's rows of every
such model: whoever had the account may have made some. Only the user's own change may keep
them, inside ``keeping_reader_access(user)``. ``revoke_on_password_set_or_deactivation`` is the
receiver, connected in ``HttpAuthConfig.ready()``.

To say what was revoked, count ``held(user)`` before and after, and put the difference
``in_words()``: the wording comes from each model's ``verbose_name`` and
``verbose_name_plural``, as Django admin's ``model_ngettext`` does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

if TYPE_CHECKING:
    from httpauth.models import ReaderSecret

# The users (by primary key) whose password is being saved inside keeping_reader_access().
_kept: ContextVar[frozenset[Any]] = ContextVar("httpauth_reader_access_kept", default=frozenset())


def reader_secret_models() -> list[type[ReaderSecret]]:
    """Every installed concrete model of reader secrets, in registry order."""
    from httpauth.models import ReaderSecret  # models cannot be imported before the registry

    return [model for model in apps.get_models() if issubclass(model, ReaderSecret)]


def held(user: AbstractBaseUser) -> dict[type[ReaderSecret], int]:
    """``{model: how many of its rows user holds}`` for every reader-secret model."""
    return {model: _of(model, user).count() for model in reader_secret_models()}


def _of(model: type[ReaderSecret], user: AbstractBaseUser) -> QuerySet[ReaderSecret]:
    # Every concrete model has its own ``user`` foreign key; the abstract one declares none,
    # so django-stubs' plugin cannot see it.
    return model._default_manager.filter(user=user)  # type: ignore[misc]


def revoked_between(
    before: dict[type[ReaderSecret], int], after: dict[type[ReaderSecret], int]
) -> dict[type[ReaderSecret], int]:
    """What went from ``held()`` counts ``before`` to ``after``: ``{model: count}``."""
    return {model: count - after.get(model, 0) for model, count in before.items()}


def in_words(counts: dict[type[ReaderSecret], int]) -> str:
    """``{AppPassword: 2, SecretAddress: 1}`` as "2 app passwords, 1 secret feed address";
    "" when every count is 0."""
    return ", ".join(f"{count} {_name(model, count)}" for model, count in counts.items() if count)


def kinds_in_words() -> str:
    """Every kind of reader secret, as "app passwords and secret feed addresses"."""
    names = [str(model._meta.verbose_name_plural) for model in reader_secret_models()]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _name(model: type[ReaderSecret], count: int) -> str:
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


@contextlib.contextmanager
def keeping_reader_access(user: AbstractBaseUser) -> Iterator[None]:
    """Inside, saving a new password for ``user`` keeps what their feed readers use: for the
    user's own password change, when they say so."""
    token = _kept.set(_kept.get() | {user.pk})
    try:
        yield
    finally:
        _kept.reset(token)


def revoke_on_password_set_or_deactivation(
    sender: type[AbstractBaseUser], instance: AbstractBaseUser, created: bool, **kwargs: Any
) -> None:
    """A ``post_save`` receiver of the user model."""
    if created:
        return
    # _password is set by set_password() until the user is saved, and Django clears it for
    # the hash upgrade at sign-in: it means exactly "the password changed".
    password_set = getattr(instance, "_password", None) is not None
    if (password_set and instance.pk not in _kept.get()) or not instance.is_active:
        for model in reader_secret_models():
            _of(model, instance).delete()

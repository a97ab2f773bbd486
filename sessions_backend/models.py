"""A session epoch for the user model: "sign out everywhere" that no lost list can undo.

Each user's list of sessions (``user_sessions``) lives in the sessions cluster, on one node:
a restart or a replacement of that node empties it, and ending "every listed session" then
ends none. Django already signs a session out at its next request when the hash it stored at
sign-in no longer matches ``user.get_session_auth_hash()`` (that is how a password change
signs out every other session). ``SessionEpochMixin`` mixes a counter into that hash, so
adding one to the counter ends every session of the user at once, listed or not, on any
engine, at no cost per request: the user's row is loaded anyway.

Give your user model the mixin (this project's ``accounts.User`` has it)::

    class User(SessionEpochMixin, AbstractUser): ...

Without it, "sign out everywhere" ends the listed sessions only (check W006 says so).

Only ``sign_out_everywhere``'s ``F()`` update writes the epoch: a save of the user leaves the
column out unless ``update_fields`` names it, so an instance loaded before "sign out
everywhere" (the admin's change form, say) cannot write the old epoch back and revive every
session it ended (SECURITY.md, third review, #6).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Model
from django.utils.crypto import salted_hmac

KEY_SALT = "sessions_backend.models.SessionEpochMixin.get_session_auth_hash"


if TYPE_CHECKING:  # what the mixin is mixed into: a user model
    from django.contrib.auth.base_user import AbstractBaseUser as _UserModel
else:
    _UserModel = models.Model


class SessionEpochMixin(_UserModel):
    session_epoch = models.PositiveIntegerField(
        default=0,
        db_default=0,  # rows written without the field (raw SQL, older migrations) start at 0
        editable=False,
        help_text="Raised by “sign out everywhere”: every session signed in before ends.",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not (self._state.adding or kwargs.get("force_insert")) and (
            kwargs.get("update_fields") is None
        ):
            # Every loaded field but the epoch, as Django itself saves a deferred instance.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name != "session_epoch"
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        # Epoch 0 is Django's own hash: adding the mixin to a live site signs nobody out.
        if not self.session_epoch:
            return super().get_session_auth_hash()
        return self._epoch_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        # The same with each of SECRET_KEY_FALLBACKS, as Django's: rotating the key signs
        # nobody out either.
        if not self.session_epoch:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._epoch_hash(secret)

    def _epoch_hash(self, secret: str | bytes | None) -> str:
        # The password stays in: a password change still ends every session, as in Django.
        message = f"{self.password}\0{self.session_epoch}"
        return salted_hmac(KEY_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def has_session_epoch(user_model: type[Model]) -> bool:
    return issubclass(user_model, SessionEpochMixin)

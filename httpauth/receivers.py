"""A sign-in counts as entering the password now, for the re-authentication window of
``httpauth.views`` (creating app passwords). Connected in ``HttpAuthConfig.ready()``, with
``httpauth.reader_access``'s receiver, which ends reader access on a new password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from httpauth.reauthentication import note_authentication


def note_sign_in(
    sender: type[Any], request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        note_authentication(request)

from django.contrib.auth.models import AbstractUser
from django.db import models

from sessions_backend.models import SessionEpochMixin


class User(SessionEpochMixin, AbstractUser):
    """The site's user: Django's, as a model of this project's own.

    Django's documentation recommends a custom user model for every new project, because
    switching to one after the first migration is painful. Add fields here as the site
    needs them; every app refers to this model through ``settings.AUTH_USER_MODEL`` or
    ``get_user_model()``, never by name.

    ``SessionEpochMixin`` adds ``session_epoch``: "sign out everywhere" raises it, which ends
    every session of the user even when the sessions cluster has lost their list.
    """

    # Kept by accounts.second_factor's receivers from the user's devices, so that a request
    # knows it from the user it loads anyway: the sign-in hold (accounts.middleware) and
    # HTTPAUTH_REQUIRE_APP_PASSWORD, asked on every Basic poll, cost no query.
    has_second_factor = models.BooleanField(
        default=False,
        db_default=False,  # old code, still running while the release migrates, can insert
        editable=False,
        help_text="An authenticator app or a passkey: signing in needs it, and feed readers "
        "need app passwords.",
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined,misc]  # django-stubs omits it
        # AbstractUser's options (verbose names): the mixin's Meta would come first.
        pass

from django.contrib.auth.models import AbstractUser

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

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined,misc]  # django-stubs omits it
        # AbstractUser's options (verbose names): the mixin's Meta would come first.
        pass

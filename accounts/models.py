from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The site's user: Django's, as a model of this project's own.

    Django's documentation recommends a custom user model for every new project, because
    switching to one after the first migration is painful. Add fields here as the site
    needs them; every app refers to this model through ``settings.AUTH_USER_MODEL`` or
    ``get_user_model()``, never by name.
    """

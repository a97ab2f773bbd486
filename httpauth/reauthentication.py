"""A short window after the user last entered their password, as GitHub's sudo mode.

Creating an app password gives lasting feed access, so it needs more than a session cookie,
which may be stolen: the password, entered within HTTPAUTH_REAUTHENTICATION_WINDOW seconds,
at sign-in or on the page itself.
"""

import time

from httpauth.conf import app_settings

SESSION_KEY = "_httpauth_authenticated_at"


def note_authentication(request):
    request.session[SESSION_KEY] = int(time.time())


def recently_authenticated(request):
    entered = request.session.get(SESSION_KEY)
    return entered is not None and time.time() - entered < app_settings.REAUTHENTICATION_WINDOW

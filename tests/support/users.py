"""The suite's users: one password, one way to make a user, one way to sign in.

The root conftest's ``alice`` and ``bob`` fixtures are made here; a test that needs another
user calls ``make_user``. ``signed_in`` fails the test when the sign-in did not take, so that
an assertion that a user "cannot see" something never passes for an anonymous client.
"""

import base64

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.test import Client

PASSWORD = "correct horse battery staple"


def make_user(username, password=PASSWORD, **fields):
    return get_user_model().objects.create_user(
        username, f"{username}@example.com", password, **fields
    )


def signed_in(user, client=None, password=PASSWORD, **defaults):
    """``client`` (by default a new test Client, with ``defaults`` such as HTTP_USER_AGENT or
    REMOTE_ADDR) signed in as ``user`` through the sign-in form, as a browser is."""
    client = client or Client(**defaults)
    response = client.post(
        resolve_url(settings.LOGIN_URL),
        {"username": user.get_username(), "password": password},
    )
    assert response.status_code == 302, f"signing in as {user} answered {response.status_code}"
    assert client.session.get("_auth_user_id") == str(user.pk), f"{user} is not signed in"
    return client


def basic(user_part, password, encoding="utf-8"):
    """An Authorization header value, as a feed reader sends it."""
    token = base64.b64encode(f"{user_part}:{password}".encode(encoding)).decode("ascii")
    return f"Basic {token}"


def with_authenticator(user, name="Phone"):
    """Give ``user`` a confirmed authenticator app; return the pyotp.TOTP that makes its codes,
    as the app on a phone would (the key in base32, as the enrolment page shows it)."""
    from binascii import unhexlify

    import pyotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
    user.refresh_from_db()
    return pyotp.TOTP(base64.b32encode(unhexlify(device.key)).decode())


def verified(user, totp, client=None, **defaults):
    """``client`` signed in as ``user`` with the password, then the authenticator's code."""
    client = signed_in(user, client, **defaults)
    response = client.post(resolve_url("confirm"), {"code": totp.now()})
    assert response.status_code == 302, f"the code for {user} answered {response.status_code}"
    return client


def window_closed(client):
    """``client``'s re-authentication window (httpauth.reauthentication) closed, as ten
    minutes after it last confirmed."""
    from httpauth.reauthentication import SESSION_KEY

    session = client.session
    del session[SESSION_KEY]
    session.save()
    return client

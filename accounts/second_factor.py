"""A second factor: who has one, whether this session has used it, and checking a code.

The factors are django-otp's devices: authenticator apps (``otp_totp``), passkeys
(django-otp-webauthn) and recovery codes (``otp_static``), which stand in for the others once
each and are no factor on their own. ``User.has_second_factor`` says whether a user has an
authenticator app or a passkey; ``keep_has_second_factor`` (a receiver of every device's
saves and deletes, connected in ``AccountsConfig.ready()``) keeps it, so that a request knows
it from the user it loads anyway.

A session has used its second factor once django-otp's ``login()`` noted the device in it;
nothing else is asked per request (django-otp's own OTPMiddleware would load the device at
each one).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.conf import app_settings
from httpauth.reauthentication import note_authentication

#: The devices that make a second factor; recovery codes only stand in for them.
FACTORS = (TOTPDevice, WebAuthnCredential)
RECOVERY_CODES_NAME = "Recovery codes"


def has_factor(user: Any) -> bool:
    return any(model.objects.filter(user=user, confirmed=True).exists() for model in FACTORS)


def keep_has_second_factor(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A ``post_save``/``post_delete`` receiver of each device model: recount the user's
    factors. Without one left, the recovery codes go too: they stood in for it."""
    user = get_user_model()._default_manager.filter(pk=instance.user_id).first()
    if user is None:  # the user is being deleted, devices and all
        return
    has = has_factor(user)
    if not has and sender in FACTORS:
        StaticDevice.objects.filter(user=user).delete()
    if user.has_second_factor != has:
        type(user)._default_manager.filter(pk=user.pk).update(has_second_factor=has)


def requires_app_password(user: Any) -> bool:
    """HTTPAUTH_REQUIRE_APP_PASSWORD (and HTTPAUTH_REAUTHENTICATION_URL's whom): a user with a
    second factor, and staff who must have one (ACCOUNTS_REQUIRE_MFA_FOR_STAFF)."""
    return bool(user.has_second_factor or must_enrol(user))


def must_enrol(user: Any) -> bool:
    """Staff without a second factor, while ACCOUNTS_REQUIRE_MFA_FOR_STAFF is on."""
    return bool(app_settings.REQUIRE_MFA_FOR_STAFF and user.is_staff and not user.has_second_factor)


def verified(request: HttpRequest) -> bool:
    """Whether this session has used a second factor (django-otp notes the device)."""
    return DEVICE_ID_SESSION_KEY in request.session


def note_verified(request: HttpRequest, device: Any) -> None:
    """The user has just used ``device``: the session is verified, and the window in which
    lasting things may be created (httpauth.reauthentication) opens."""
    otp_login(request, device)
    note_authentication(request)


def note_password_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """A ``user_logged_in`` receiver for staff who must enrol. httpauth opens no
    re-authentication window at a password sign-in for the users HTTPAUTH_REQUIRE_APP_PASSWORD
    names, who confirm on /accounts/confirm/ instead; these have no factor yet, and confirm
    there with the password, so the sign-in's password is as good."""
    if request is not None and hasattr(request, "session") and must_enrol(user):
        note_authentication(request)


def normalized(code: str) -> str:
    """A code as typed: recovery codes are shown in groups ("abcd efgh"), in lowercase."""
    return "".join(code.split()).replace("-", "").lower()


def device_for_code(user: Any, code: str) -> Any:
    """The confirmed authenticator app or recovery codes that accept ``code``, or None.

    A code works once, even for two requests that bring it at the same moment: the check
    reads, and the claim is one conditional write that only one of them can make
    (``claim_step``: the TOTP time step must be newer than the last used; a recovery code is
    deleted, and only one DELETE finds it). django-otp's own ``verify_token`` saves the
    device whole, so two such requests could both get in. Each device also throttles its
    own failures (django-otp's ThrottlingMixin: 1, 2, 4… seconds between tries), counted
    here with an atomic increment, so guessing from many addresses is slowed as well.
    """
    code = normalized(code)
    tried = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0]:
            tried.append(device)
            step = checked_step(device, code)
            if step is not None and claim_step(device, step):
                return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0]:
            tried.append(device)
            if claim_recovery_code(device, code):
                return device
    for device in tried:
        type(device).objects.filter(pk=device.pk).update(
            throttling_failure_count=F("throttling_failure_count") + 1,
            throttling_failure_timestamp=timezone.now(),
        )
    return None


def checked_step(device: TOTPDevice, code: str) -> int | None:
    """The time step of ``code`` if it is the authenticator's, within its tolerance, and
    newer than the last step used; nothing is written."""
    try:
        token = int(code)
    except ValueError:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(token, device.tolerance, device.last_t + 1):
        return None
    return int(totp.t())


def claim_step(device: TOTPDevice, step: int) -> bool:
    """Mark ``step`` used, unless another request got there first: one conditional UPDATE."""
    updated: int = TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
        last_t=step, last_used_at=timezone.now(), **_THROTTLE_RESET
    )
    return updated == 1


def claim_recovery_code(device: StaticDevice, code: str) -> bool:
    """Use up a recovery code of ``device``: only the request whose DELETE finds it gets in."""
    deleted, _ = StaticToken.objects.filter(device=device, token=code).delete()
    if deleted:
        StaticDevice.objects.filter(pk=device.pk).update(
            last_used_at=timezone.now(), **_THROTTLE_RESET
        )
    return bool(deleted)


_THROTTLE_RESET = {"throttling_failure_count": 0, "throttling_failure_timestamp": None}


def new_totp_device(user: Any, name: str, key: str, code: str) -> TOTPDevice | None:
    """Save an authenticator app with secret ``key`` (hex) if ``code`` is its current code.

    The device is saved only then, confirmed: a wrong code leaves nothing behind.
    """
    device = TOTPDevice(user=user, name=name, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    try:
        accepted = totp.verify(int(normalized(code)), device.tolerance)
    except ValueError:
        return None
    if not accepted:
        return None
    device.last_t = totp.t()  # the code used to enrol cannot sign in
    device.save()
    return device


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with ACCOUNTS_RECOVERY_CODES new ones; returned
    once, to be shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_CODES_NAME, "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(app_settings.RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def shown(code: str) -> str:
    """A recovery code as shown: two groups of four, easier to copy by hand."""
    return f"{code[:4]} {code[4:]}"

"""httpauth.reader_access: one rule ends what a user's feed readers use, over every
reader-secret model, and says what it ended."""

import pytest

from httpauth.models import AppPassword
from httpauth.reader_access import (
    held,
    in_words,
    keeping_reader_access,
    kinds_in_words,
    reader_secret_models,
    revoked_between,
)
from tests.support.users import make_user


@pytest.fixture
def alice(alice):
    AppPassword.issue(alice, "newsboat")
    AppPassword.issue(alice, "miniflux")
    return alice


def test_app_passwords_are_a_reader_secret_model():
    assert AppPassword in reader_secret_models()


def test_a_password_set_elsewhere_revokes_every_reader_secret(alice):
    alice.set_password("a new password entirely")  # a reset, the admin, changepassword
    alice.save()
    assert held(alice) == {model: 0 for model in reader_secret_models()}
    assert not AppPassword.objects.filter(user=alice).exists()


def test_the_users_own_change_may_keep_them(alice):
    alice.set_password("a new password entirely")
    with keeping_reader_access(alice):
        alice.save()
    assert AppPassword.objects.filter(user=alice).count() == 2


def test_keeping_ends_with_the_block(alice):
    with keeping_reader_access(alice):
        pass
    alice.set_password("a new password entirely")
    alice.save()
    assert AppPassword.objects.filter(user=alice).count() == 0


def test_keeping_one_users_access_keeps_no_one_elses(alice, db):
    carol = make_user("carol")
    AppPassword.issue(carol, "newsboat")
    carol.set_password("a new password entirely")
    with keeping_reader_access(alice):
        carol.save()
    assert AppPassword.objects.filter(user=carol).count() == 0
    assert AppPassword.objects.filter(user=alice).count() == 2


def test_a_deactivation_revokes_them(alice):
    alice.is_active = False
    alice.save()
    assert AppPassword.objects.filter(user=alice).count() == 0


def test_saving_a_user_without_a_new_password_revokes_nothing(alice):
    alice.first_name = "Alice"
    alice.save()
    assert AppPassword.objects.filter(user=alice).count() == 2


def test_a_sign_in_upgrading_the_hash_revokes_nothing(alice, client, settings):
    # A hash upgrade at sign-in saves the user with a new hash but no new password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = alice.password
    from tests.support.users import signed_in

    signed_in(alice, client)
    alice.refresh_from_db()
    assert alice.password != old_hash
    assert AppPassword.objects.filter(user=alice).count() == 2


def test_what_went_is_counted_by_model_and_said_in_its_names(alice):
    before = held(alice)
    AppPassword.objects.filter(user=alice, name="newsboat").delete()
    revoked = revoked_between(before, held(alice))
    assert revoked[AppPassword] == 1
    assert in_words(revoked) == "1 app password"
    assert in_words({AppPassword: 2}) == "2 app passwords"
    assert in_words({AppPassword: 0}) == ""


def test_the_kinds_are_named_from_the_models():
    names = [str(model._meta.verbose_name_plural) for model in reader_secret_models()]
    assert kinds_in_words().startswith(names[0])
    assert kinds_in_words().endswith(names[-1])
    assert "app passwords" in kinds_in_words()

"""The admin action "Sign out everywhere"."""

import pytest
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse_lazy

from sessions_backend import user_sessions
from tests.support.users import PASSWORD, signed_in

CHANGELIST = reverse_lazy(admin_urlname(get_user_model()._meta, "changelist"))


@pytest.fixture
def admin_client_(db):
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    return signed_in(root)


def test_sign_out_everywhere_ends_every_session_of_the_selected_users(admin_client_):
    users = [get_user_model().objects.create_user(name, password=PASSWORD) for name in "ab"]
    sessions = []
    for user in users:
        sessions += [signed_in(user), signed_in(user)]
    changelist = admin_client_.get(CHANGELIST)
    assert (
        '<option value="sign_out_everywhere">Sign out everywhere</option>'
        in changelist.content.decode()
    )
    response = admin_client_.post(
        CHANGELIST,
        {"action": "sign_out_everywhere", "_selected_action": [user.pk for user in users]},
        follow=True,
    )
    assert "Signed out 2 users everywhere." in response.content.decode()
    for client in sessions:
        assert "_auth_user_id" not in client.session
    assert [user_sessions.prune_and_list(user.pk) for user in users] == [[], []]


def test_staff_who_may_only_view_users_cannot_sign_them_out(db):
    user_model = get_user_model()
    viewer = user_model.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    opts = user_model._meta
    viewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=opts.app_label, codename=f"view_{opts.model_name}"
        )
    )
    member = user_model.objects.create_user("member", password=PASSWORD)
    browser = signed_in(member)
    staff = signed_in(viewer)

    changelist = staff.get(CHANGELIST)
    assert changelist.status_code == 200  # may view the users...
    assert "sign_out_everywhere" not in changelist.content.decode()  # ...not sign them out
    response = staff.post(
        CHANGELIST, {"action": "sign_out_everywhere", "_selected_action": [member.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Signed out 1 user everywhere." not in response.content.decode()
    assert browser.session.get("_auth_user_id") == str(member.pk)
    assert len(user_sessions.prune_and_list(member.pk)) == 1

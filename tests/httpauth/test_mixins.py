import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.views import View

from httpauth.mixins import PermissionOrBasicAuthRequiredMixin
from tests.support.users import PASSWORD, basic


def test_class_view_challenges_and_admits(client, alice):
    challenge = client.get("/class/")
    assert challenge.status_code == 401
    assert challenge["WWW-Authenticate"] == 'Basic realm="Class", charset="UTF-8"'
    response = client.get("/class/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.content == b"user=alice"
    assert "Authorization" in response["Vary"]


def test_async_class_view(client, alice):
    assert client.get("/class-async/").status_code == 401
    response = client.get("/class-async/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.content == b"user=alice"


def test_permission_mixin(client, alice):
    assert (
        client.get("/class-perm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 403
    )
    alice.user_permissions.add(Permission.objects.get(codename="view_apppassword"))
    response = client.get("/class-perm/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.content == b"user=alice"


def test_permission_mixin_without_a_permission_says_how_to_fix_it(alice):
    class Forgotten(PermissionOrBasicAuthRequiredMixin, View):
        def get(self, request):
            raise AssertionError("unreachable")

    request = RequestFactory().get("/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    request.user = alice
    with pytest.raises(ImproperlyConfigured, match="Forgotten is missing the permission_required"):
        Forgotten.as_view()(request)

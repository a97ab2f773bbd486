"""The test site of httpauth's tests: views decorated every way httpauth allows, the app's
own URLs where the project puts them, Django's auth views and admin."""

from asgiref.sync import sync_to_async
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.contrib.syndication.views import Feed
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from httpauth import read_ahead
from httpauth.decorators import has_perm_or_basicauth, logged_in_or_basicauth
from httpauth.mixins import LoginOrBasicAuthRequiredMixin, PermissionOrBasicAuthRequiredMixin
from httpauth.throttle import throttled_sign_in
from tests.support.standalone import whoami as site_whoami

PERM = "httpauth.view_apppassword"


def whoami(request):
    """Say who the request's user is."""
    return HttpResponse(f"user={request.user.get_username()}")


@logged_in_or_basicauth
def bare(request):
    return whoami(request)


@logged_in_or_basicauth()
def called(request):
    return whoami(request)


@logged_in_or_basicauth(realm='Members "only" \\ here')
def realm(request):
    return whoami(request)


@has_perm_or_basicauth(PERM, realm="Staff")
def perm(request):
    return whoami(request)


@has_perm_or_basicauth([PERM, "httpauth.delete_apppassword"], realm="Staff")
def perms(request):
    return whoami(request)


@logged_in_or_basicauth(realm="Async")
async def async_view(request):
    user = await request.auser()
    return HttpResponse(f"user={user.get_username()}")


class ClassView(LoginOrBasicAuthRequiredMixin, View):
    basic_auth_realm = "Class"

    def get(self, request):
        return whoami(request)


class ClassPermView(PermissionOrBasicAuthRequiredMixin, View):
    permission_required = PERM

    def get(self, request):
        return whoami(request)


class AsyncClassView(LoginOrBasicAuthRequiredMixin, View):
    async def get(self, request):
        user = await request.auser()
        return HttpResponse(f"user={user.get_username()}")


# Views that keep something in HTTPAUTH_CACHE_ALIAS under "kept", read with httpauth's keys.


def kept_keys(request):
    return ["kept"]


def kept(request):
    value = read_ahead.take(request, "kept", caches["default"].get)
    return HttpResponse(f"user={request.user.get_username()} kept={value}")


@logged_in_or_basicauth(read_ahead=kept_keys)
def read_ahead_view(request):
    return kept(request)


@logged_in_or_basicauth(read_ahead=kept_keys)
async def async_read_ahead_view(request):
    return await sync_to_async(kept)(request)


class ReadAheadClassView(LoginOrBasicAuthRequiredMixin, View):
    def basic_auth_read_ahead(self, request):
        return kept_keys(request)

    def get(self, request):
        return kept(request)


class WhoFeed(Feed):
    title = "Who"
    link = "/"
    description = "A feed for one reader."

    def items(self):
        return []


urlpatterns = [
    path("bare/", bare),
    path("called/", called),
    path("realm/", realm),
    path("perm/", perm),
    path("perms/", perms),
    path("async/", async_view),
    path("class/", ClassView.as_view()),
    path("class-perm/", ClassPermView.as_view()),
    path("class-async/", AsyncClassView.as_view()),
    path("feed.rss", logged_in_or_basicauth(realm="Feed")(WhoFeed())),
    path("read-ahead/", read_ahead_view),
    path("read-ahead-async/", async_read_ahead_view),
    path("read-ahead-class/", ReadAheadClassView.as_view()),
    path("", site_whoami),
    path("accounts/login/", throttled_sign_in(LoginView.as_view()), name="login"),
    path("admin/login/", throttled_sign_in(admin.site.login)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/app-passwords/", include("httpauth.urls")),
    path("admin/", admin.site.urls),
]

"""The pages about entries and feeds: the entries, an entry, /feeds/, and the OPML file."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from feeds.catalog import readable_feeds
from feeds.conf import app_settings
from feeds.feed_views import FEED_POLICY
from feeds.models import Entry, Visibility
from feeds.syndication import site_origin

ENTRIES_PER_PAGE = 20


def entry_list(request):
    """The entries the viewer may read, newest first, a page at a time."""
    entries = Entry.objects.visible_to(request.user).select_related("author").newest_first()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feeds/entry_list.html", {"page": page})


def entry_detail(request, slug):
    entry = get_object_or_404(Entry, slug=slug)
    if not Entry.objects.visible_to(request.user).filter(pk=entry.pk).exists():
        # A published members entry: worth signing in for. Anything else: not here.
        if (
            request.user.is_anonymous
            and entry.visibility == Visibility.MEMBERS
            and not entry.is_draft
        ):
            return redirect_to_login(request.get_full_path())
        raise Http404("No entry here.")
    return render(request, "feeds/entry_detail.html", {"entry": entry})


def _feeds_with_urls(request):
    feeds = readable_feeds(request.user)
    for feed in feeds:
        feed["urls"] = [
            (fmt, format_name, site_origin(request) + reverse(name), content_type)
            for fmt, format_name, name, content_type in feed["formats"]
        ]
    return feeds


def index(request):
    """The feeds the viewer may read, with addresses to copy and how to add them: with
    Basic, or through a secret address."""
    return render(
        request,
        "feeds/index.html",
        {"feeds": _feeds_with_urls(request), "secret_addresses": app_settings.SECRET_ADDRESSES},
    )


@FEED_POLICY
def opml(request):
    """The viewer's feeds as an OPML file, for readers that import subscriptions; with the
    private ones, a comment on the two ways to read them."""
    feeds = _feeds_with_urls(request)
    origin = site_origin(request)
    body = render_to_string(
        "feeds/feeds.opml",
        {
            "feeds": feeds,
            "title": app_settings.SITE_TITLE,
            "home": origin + "/",
            "private": any(not feed["kind"].is_public for feed in feeds),
            "app_passwords": origin + reverse("app-passwords"),
            "secret_addresses": app_settings.SECRET_ADDRESSES
            and origin + reverse("feed-addresses"),
        },
    )
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feeds.opml"'
    return response

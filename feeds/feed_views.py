"""The feed views, built so that readers poll them cheaply.

``feed_view(kind, fmt)`` wraps the feed in these layers, outermost first:

1. httpauth (protected feeds): who may read it, checked before anything else; its answers
   say ``Cache-Control: private`` and ``Vary: Authorization, Cookie``, 304s included, so no
   shared cache ever hands them to someone else;
2. ``FEED_POLICY``: ``Content-Security-Policy: default-src 'none'``, as a feed loads nothing
   (httpauth's refusals, HTML pages, keep the site's policy);
3. ``condition``: ``ETag`` and ``Last-Modified`` from one aggregate query, and a matching
   ``If-None-Match`` / ``If-Modified-Since`` answered 304 before the feed is built;
4. ``for_the_site``: the site's origin put in the rendering's absolute URLs;
5. ``cached`` (public feeds): the rendering kept in FEEDS_CACHE_ALIAS under a key that names
   the newest change, so a changed entry is served at once without any invalidation, and
   one rendering per feed whatever the Host;
6. the feed (``feeds.syndication``), rendered for a placeholder origin.
"""

import hashlib
from functools import wraps

from csp.constants import NONE
from csp.decorators import csp as content_security_policy
from django.core.cache import caches
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import condition

from feeds.conf import app_settings
from feeds.models import VIEW_PERMISSION, Visibility
from feeds.syndication import EntryFeed, site_origin, with_origin
from httpauth.decorators import has_perm_or_basicauth, logged_in_or_basicauth

CACHE_KEY_PREFIX = "feeds.rendered."
#: What a feed may load when a browser shows it: nothing.
FEED_POLICY = content_security_policy({"default-src": [NONE]})


def validators(request, kind, fmt):
    """Return ``(rendering, etag, last_modified)`` of a feed for this request, where
    ``rendering`` names its content before the site's origin is put in; one query, once."""
    memo = request.__dict__.setdefault("_feed_validators", {})
    if (kind.slug, fmt) not in memo:
        stats = kind.entries().aggregate(
            count=Count("pk"), updated=Max("updated_at"), published=Max("published_at")
        )
        changes = [moment for moment in (stats["updated"], stats["published"]) if moment]
        # A scheduled entry (staff feed) must not date the feed in the future.
        last_modified = min(max(changes), timezone.now()) if changes else None
        # Everything that changes the rendering: entries (a deletion changes the count), the
        # format, the number of items; then the bytes served: the site's origin too.
        rendering = _digest(
            kind.slug,
            fmt,
            app_settings.MAX_ITEMS,
            stats["count"],
            stats["updated"],
            stats["published"],
        )
        etag = _digest(rendering, site_origin(request))
        memo[kind.slug, fmt] = (rendering, etag, last_modified)
    return memo[kind.slug, fmt]


def _digest(*parts):
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def cached(kind, fmt, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        rendering, _, _ = validators(request, kind, fmt)
        cache, key = caches[app_settings.CACHE_ALIAS], CACHE_KEY_PREFIX + rendering
        if (hit := cache.get(key)) is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        cache.set(key, (response.content, response["Content-Type"]), app_settings.CACHE_TTL)
        return response

    return wrapper


def for_the_site(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.content = with_origin(request, response.content)
        return response

    return wrapper


def feed_view(kind, fmt):
    """The whole view of one feed in one format, wrapped as the module docstring says."""
    view = EntryFeed(kind, fmt)
    if kind.realm is None:
        view = cached(kind, fmt, view)
    view = for_the_site(view)
    view = condition(
        etag_func=lambda request, *a, **k: validators(request, kind, fmt)[1],
        last_modified_func=lambda request, *a, **k: validators(request, kind, fmt)[2],
    )(view)
    view = FEED_POLICY(view)
    if kind.realm is None:
        return view
    if kind.audience == Visibility.STAFF:
        return has_perm_or_basicauth(VIEW_PERMISSION, realm=kind.realm)(view)
    return logged_in_or_basicauth(realm=kind.realm)(view)

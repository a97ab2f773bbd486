"""The feed views, built so that readers poll them cheaply.

``feed_view(kind, fmt)`` wraps the feed in these layers, outermost first:

1. httpauth (protected feeds): who may read it, checked before anything else; its answers
   say ``Cache-Control: private`` and ``Vary: Authorization, Cookie``, 304s included, so no
   shared cache ever hands them to someone else;
2. ``condition``: ``ETag`` and ``Last-Modified`` from one aggregate query, and a matching
   ``If-None-Match`` / ``If-Modified-Since`` answered 304 before the feed is built;
3. ``cached`` (public feeds): the rendered feed kept in FEEDS_CACHE_ALIAS under a key that
   names the newest change, so a changed entry is served at once without any invalidation;
4. the feed (``feeds.syndication``).
"""

import hashlib
from functools import wraps

from django.core.cache import caches
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import condition

from feeds.conf import app_settings
from feeds.models import VIEW_PERMISSION, Visibility
from feeds.syndication import EntryFeed
from httpauth.decorators import has_perm_or_basicauth, logged_in_or_basicauth

CACHE_KEY_PREFIX = "feeds.rendered."


def validators(request, kind, fmt):
    """Return ``(etag, last_modified)`` of a feed for this request; one query, once."""
    memo = request.__dict__.setdefault("_feed_validators", {})
    if (kind.slug, fmt) not in memo:
        stats = kind.entries().aggregate(
            count=Count("pk"), updated=Max("updated_at"), published=Max("published_at")
        )
        changes = [moment for moment in (stats["updated"], stats["published"]) if moment]
        # A scheduled entry (staff feed) must not date the feed in the future.
        last_modified = min(max(changes), timezone.now()) if changes else None
        # Everything that changes the bytes: entries (a deletion changes the count), the
        # format, the site's address (absolute URLs inside), the number of items.
        fingerprint = "|".join(
            str(part)
            for part in (
                kind.slug,
                fmt,
                request.build_absolute_uri("/"),
                app_settings.MAX_ITEMS,
                stats["count"],
                stats["updated"],
                stats["published"],
            )
        )
        memo[kind.slug, fmt] = (
            hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
            last_modified,
        )
    return memo[kind.slug, fmt]


def cached(kind, fmt, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        etag, _ = validators(request, kind, fmt)
        cache, key = caches[app_settings.CACHE_ALIAS], CACHE_KEY_PREFIX + etag
        if (hit := cache.get(key)) is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        cache.set(key, (response.content, response["Content-Type"]), app_settings.CACHE_TTL)
        return response

    return wrapper


def feed_view(kind, fmt):
    """The whole view of one feed in one format, wrapped as the module docstring says."""
    view = EntryFeed(kind, fmt)
    if kind.realm is None:
        view = cached(kind, fmt, view)
    view = condition(
        etag_func=lambda request, *a, **k: validators(request, kind, fmt)[0],
        last_modified_func=lambda request, *a, **k: validators(request, kind, fmt)[1],
    )(view)
    if kind.realm is None:
        return view
    if kind.audience == Visibility.STAFF:
        return has_perm_or_basicauth(VIEW_PERMISSION, realm=kind.realm)(view)
    return logged_in_or_basicauth(realm=kind.realm)(view)

"""The feed views, built so that readers poll them cheaply.

``feed_view(kind, fmt)`` wraps the feed in these layers, outermost first:

1. who may read it, checked before anything else: httpauth for the private feeds (a session
   or HTTP Basic), whose answers say ``Cache-Control: private`` and ``Vary: Authorization,
   Cookie``, 304s included, so no shared cache ever hands them to someone else; or, in
   ``secret_feed_view``, the secret address in the path (``SecretAddress``);
2. ``FEED_POLICY``: ``Content-Security-Policy: default-src 'none'``, as a feed loads nothing
   (httpauth's refusals, HTML pages, keep the site's policy);
3. ``condition``: ``ETag`` and ``Last-Modified`` from one aggregate query, and a matching
   ``If-None-Match`` / ``If-Modified-Since`` answered 304 before the feed is built;
4. ``for_the_site``: the address the request came by put in as the feed's own
   (``rel="self"``), and the site's origin in the rendering's absolute URLs;
5. ``cached``: the rendering kept in FEEDS_CACHE_ALIAS under a key that names the feed and
   its newest change, so a changed entry is served at once without any invalidation; one
   rendering per feed and format, whatever the Host, the path and whoever reads it (layer 1
   has already said they may), so no byte of it may depend on them. On an unconditional
   Basic poll, layer 1 has read it already, with the reader's credential (``read_ahead``);
6. the feed (``feeds.syndication``), rendered for a placeholder origin and self link from
   each entry's stored HTML.

Around them all, ``polite`` (feeds.polling) holds a reader to its poll budget, an
unconditional poll before layer 1 and with no query, a conditional one only once layer 3 finds
that it gets a full answer (``budgeted``), and says on every 200 and 304 when to come back;
and ``counted`` sends ``feed_served`` (feeds.signals) with how the reader came and the status
it got, refusals included, for the site's metrics (feeds/metrics.py).
"""

import hashlib
from functools import wraps

from csp.constants import NONE
from csp.decorators import csp as content_security_policy
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from feeds import reader_use
from feeds.conf import app_settings
from feeds.models import VIEW_PERMISSION, SecretAddress, Visibility
from feeds.polling import (
    CHARGED_ATTRIBUTE,
    POLLER_ATTRIBUTE,
    charge,
    is_conditional,
    poller_of,
    too_many_polls,
    with_poll_interval,
)
from feeds.signals import feed_served
from feeds.syndication import EntryFeed, site_origin, with_origin, with_self_link
from httpauth import read_ahead as httpauth_read_ahead
from httpauth.basic import credentials_used
from httpauth.conf import app_settings as httpauth_settings
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
            count=Count("pk"),
            updated=Max("updated_at"),
            published=Max("published_at"),
            # The staff feed holds scheduled entries: one coming due changes its marks.
            due=Count("pk", filter=Q(published_at__lte=timezone.now())),
        )
        changes = [moment for moment in (stats["updated"], stats["published"]) if moment]
        # A scheduled entry (staff feed) must not date the feed in the future.
        last_modified = min(max(changes), timezone.now()) if changes else None
        # Everything that changes the rendering: entries (a deletion changes the count), the
        # format, the number of items; then the bytes served: the site's origin and the
        # feed's own address too.
        rendering = _digest(
            kind.slug,
            fmt,
            app_settings.MAX_ITEMS,
            app_settings.POLL_INTERVAL,  # RSS says it (<ttl>)
            stats["count"],
            stats["updated"],
            stats["published"],
            stats["due"],
        )
        etag = _digest(rendering, site_origin(request), request.path)
        memo[kind.slug, fmt] = (rendering, etag, last_modified)
    return memo[kind.slug, fmt]


def _digest(*parts):
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def rendering_key(request, kind, fmt):
    rendering, _, _ = validators(request, kind, fmt)
    return CACHE_KEY_PREFIX + rendering


def read_ahead(kind, fmt):
    """For layer 1 (httpauth's ``read_ahead``): on a Basic poll, the rendering's key is read
    in the same memcached round trip as the reader's credential. Not on a conditional poll,
    which nearly always ends in a 304 that needs no rendering, nor when the renderings are kept
    in another cache than httpauth's."""

    def keys(request):
        if is_conditional(request) or app_settings.CACHE_ALIAS != httpauth_settings.CACHE_ALIAS:
            return ()
        return (rendering_key(request, kind, fmt),)

    return keys


def cached(kind, fmt, view):
    """Layer 5: the rendering from FEEDS_CACHE_ALIAS (read ahead by layer 1 on a Basic poll),
    or rendered and kept there."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cache, key = caches[app_settings.CACHE_ALIAS], rendering_key(request, kind, fmt)
        if (hit := httpauth_read_ahead.take(request, key, cache.get)) is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        cache.set(key, (response.content, response["Content-Type"]), app_settings.CACHE_TTL)
        return response

    return wrapper


def for_the_site(fmt, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.content = with_origin(request, with_self_link(request, response.content, fmt))
        return response

    return wrapper


def budgeted(view):
    """Between layers 3 and 4: a conditional poll that gets a full answer after all (the feed
    changed) pays for it now; past the budget, 429 instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        poller = getattr(request, POLLER_ATTRIBUTE, None)
        paid = getattr(request, CHARGED_ATTRIBUTE, False)
        if poller is not None and not paid and (retry_after := charge(poller)) is not None:
            return too_many_polls(poller, retry_after)
        return view(request, *args, **kwargs)

    return wrapper


def polite(view, *, public):
    """Outside layer 1: note who polls (feeds.polling), charge an unconditional poll and
    refuse it past the budget before anything else, and say when to come back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        poller = poller_of(request, public=public, secret=kwargs.get("secret"))
        setattr(request, POLLER_ATTRIBUTE, poller)
        response = None
        if poller is not None and not is_conditional(request):
            setattr(request, CHARGED_ATTRIBUTE, True)
            if (retry_after := charge(poller)) is not None:
                response = too_many_polls(poller, retry_after)
        if response is None:
            response = view(request, *args, **kwargs)
        if response.status_code == 429:  # from budgeted, inside condition: nothing to validate
            for validator in ("ETag", "Last-Modified"):
                response.headers.pop(validator, None)
        if poller is not None and poller.credential in reader_use.SHOWN:
            reader_use.count(poller.key, response.status_code)
        return with_poll_interval(response)

    return wrapper


def served_feed(kind, fmt):
    """Layers 2 to 6: one feed in one format, for whoever layer 1 lets through."""
    view = cached(kind, fmt, EntryFeed(kind, fmt))
    view = for_the_site(fmt, view)
    view = budgeted(view)
    view = condition(
        etag_func=lambda request, *a, **k: validators(request, kind, fmt)[1],
        last_modified_func=lambda request, *a, **k: validators(request, kind, fmt)[2],
    )(view)
    return FEED_POLICY(view)


def auth_of(request):
    """How a reader of a private feed came: "app_password" or "basic" when it sent Basic
    credentials (refused ones included, and polls refused before they were checked),
    "session" otherwise (signed in, or not at all: 401)."""
    if used := credentials_used(request):
        return used
    poller = getattr(request, POLLER_ATTRIBUTE, None)
    return poller.credential if poller is not None else "session"


def counted(kind, view, auth):
    """Send ``feed_served`` for each answer of ``view``, with ``auth(request)``: a 404 raised
    counts as 404; another exception is not counted here, as its status is decided later (a
    database outage is a 503: project/errors.py), but with every response (ops.metrics)."""

    def served(request, status):
        feed_served.send(
            sender=None, request=request, feed=kind.slug, auth=auth(request), status=status
        )

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            served(request, 404)
            raise
        served(request, response.status_code)
        return response

    return wrapper


def feed_view(kind, fmt):
    """The whole view of one feed in one format at its address, for everyone (the public
    feed) or through httpauth (the private ones)."""
    view = served_feed(kind, fmt)
    if kind.is_public:
        return counted(kind, polite(view, public=True), lambda request: "public")
    keys = read_ahead(kind, fmt)
    if kind.audience == Visibility.STAFF:
        view = has_perm_or_basicauth(VIEW_PERMISSION, realm=kind.realm, read_ahead=keys)(view)
    else:
        view = logged_in_or_basicauth(realm=kind.realm, read_ahead=keys)(view)
    return counted(kind, polite(view, public=False), auth_of)


def secret_feed_view(kind, fmt):
    """A private feed behind its secret addresses (``/feeds/s/<secret>/members.rss``).

    The address opens this one feed while its owner is active and may read it; anything
    else, a wrong, revoked or another feed's secret included, answers the site's 404, as an
    address that never existed. Its answers are private, and send no Referer onwards nor
    invite indexing: the address is as good as a password.
    """
    view = served_feed(kind, fmt)

    @login_not_required  # the address is the credential (LoginRequiredMiddleware)
    @wraps(view)
    def wrapper(request, secret):
        address = SecretAddress.find(secret) if app_settings.SECRET_ADDRESSES else None
        if address is None or address.feed != kind.audience:
            raise Http404("No feed here.")
        if not kind.readable_by(address.user):  # deactivated, or no longer staff
            raise Http404("No feed here.")
        address.note_use(request.META.get("HTTP_USER_AGENT", ""))
        response = view(request)
        patch_cache_control(response, private=True)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response

    return counted(kind, polite(wrapper, public=False), lambda request: "secret")

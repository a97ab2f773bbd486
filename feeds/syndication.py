"""The feeds themselves: django.contrib.syndication, one class for every kind and format.

A feed's URLs are absolute, and the Host a request names is the client's to choose: any port,
any case, a trailing dot. So feeds are rendered for one placeholder origin, the same whatever
the Host, and ``with_origin`` puts the site's origin in its place as the feed is served
(``site_origin``: FEEDS_SITE_URL, or the request's). One rendering serves every Host, and no
Host can make the Markdown sanitiser choke on a malformed base URL. The feed's own address
is a placeholder too, replaced by ``with_self_link``: one rendering serves every reader.
"""

from xml.sax.saxutils import escape

from django.contrib.syndication.views import Feed
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from feeds import markup
from feeds.conf import app_settings
from feeds.markup import PLACEHOLDER_HOST, PLACEHOLDER_ORIGIN
from feeds.models import Visibility

FEED_TYPES = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
#: The path a feed is rendered with as its own address (``rel="self"``): one rendering serves
#: every address of a feed, secret ones included, and ``with_self_link`` puts in the path
#: the request came by. The rendering must never hold that path: a secret address put there
#: would reach every reader of the feed (SECURITY.md, third review, #2).
SELF_PATH_PLACEHOLDER = "/feed-self-link"
# The self link as both formats write it, in the feed's head, before any entry: only that
# first occurrence is replaced, so nothing inside an entry ever is (and the sanitiser keeps
# no rel attribute in entries anyway: feeds.markup).
SELF_LINK = f'href="{PLACEHOLDER_ORIGIN}{SELF_PATH_PLACEHOLDER}" rel="self"'.encode()


def site_origin(request):
    """Where absolute URLs point: FEEDS_SITE_URL, or the scheme and host of the request."""
    return app_settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def with_origin(request, content):
    """A rendering's content with the placeholder origin replaced by the site's."""
    return markup.with_origin(content, site_origin(request))


def with_self_link(request, content):
    """A rendering's content with the request's own path as the feed's ``rel="self"`` link,
    written as Django's feed generator writes a URL in an attribute."""
    href = f'href="{PLACEHOLDER_ORIGIN}{escape(iri_to_uri(request.path))}" rel="self"'
    return content.replace(SELF_LINK, href.encode(), 1)


class PlaceholderSite:
    """All that Django's ``Feed.get_feed`` reads of a request: the host, the scheme, the path."""

    def __init__(self, path):
        self.path = path

    def get_host(self):
        return PLACEHOLDER_HOST

    def is_secure(self):
        return True


class EntryFeed(Feed):
    def __init__(self, kind, fmt):
        super().__init__()
        self.kind = kind
        self.feed_type = FEED_TYPES[fmt]

    def get_feed(self, obj, request):
        # Feed reads only these of a request (PlaceholderSite); its path is the self link's.
        site = PlaceholderSite(SELF_PATH_PLACEHOLDER)
        return super().get_feed(obj, site)  # type: ignore[arg-type]

    def title(self):
        return f"{app_settings.SITE_TITLE}: {self.kind.title}"

    def link(self):
        return "/"

    def description(self):
        return self.kind.description

    subtitle = description  # Atom's name for it

    def items(self):
        return self.kind.entries().select_related("author").newest_first()[: app_settings.MAX_ITEMS]

    def item_title(self, entry):
        marks = []
        if entry.is_draft:
            marks.append("[Draft]")
        if entry.visibility != Visibility.PUBLIC and self.kind.audience != Visibility.PUBLIC:
            marks.append(f"[{entry.get_visibility_display()}]")
        return " ".join([*marks, entry.title])

    def item_description(self, entry):
        # Stored with absolute links to the placeholder origin: readers show entries far
        # away from the site, and with_origin puts the site's origin in as it is served.
        return entry.body_html

    def item_link(self, entry):
        return entry.get_absolute_url()

    item_guid_is_permalink = True

    def item_pubdate(self, entry):
        return entry.published_at or entry.updated_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_author_name(self, entry):
        return entry.author.get_full_name() or entry.author.get_username()

    def item_categories(self, entry):
        return [entry.visibility, "draft"] if entry.is_draft else [entry.visibility]

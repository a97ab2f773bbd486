"""The feeds themselves: django.contrib.syndication, one class for every kind and format
(RSS 2.0 and Atom 1.0 from Django, JSON Feed 1.1 from ``JSONFeed`` below).

A feed's URLs are absolute, and the Host a request names is the client's to choose: any port,
any case, a trailing dot. So feeds are rendered for one placeholder origin, the same whatever
the Host, and ``with_origin`` puts the site's origin in its place as the feed is served
(``site_origin``: FEEDS_SITE_URL, or the request's). One rendering serves every Host, and no
Host can make the Markdown sanitiser choke on a malformed base URL. The feed's own address
is a placeholder too, replaced by ``with_self_link``: one rendering serves every reader.
"""

import json
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.contrib.syndication.views import Feed
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date

from feeds import markup
from feeds.conf import app_settings
from feeds.markup import PLACEHOLDER_HOST, PLACEHOLDER_ORIGIN
from feeds.models import Visibility


class JSONFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), as Django's docs say a custom format
    is made: the feed and its items as Django's generators hold them, written as JSON.

    Each item's ``id`` is its permalink, ``content_html`` the entry's stored HTML, dates are
    RFC 3339; ``feed_url`` is the feed's own address (the placeholder, replaced as it is
    served: ``with_self_link``). Written as UTF-8 with ``/`` and non-ASCII left alone, so a
    URL is the same bytes as in the XML formats, and ``with_origin`` finds the placeholder.
    """

    content_type = "application/feed+json; charset=utf-8"
    VERSION = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False, indent=1))

    def document(self):
        feed = self.feed
        document = {
            "version": self.VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
        }
        if feed.get("language"):
            document["language"] = feed["language"]
        document["items"] = [self.item(item) for item in self.items]
        return document

    def item(self, item):
        entry = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["description"],
        }
        if item["pubdate"]:
            entry["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"]:
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        if item["author_name"]:
            entry["authors"] = [{"name": item["author_name"]}]
        if item["categories"]:
            entry["tags"] = list(item["categories"])
        return entry


FEED_TYPES = {"rss": Rss201rev2Feed, "atom": Atom1Feed, "json": JSONFeed}
#: The path a feed is rendered with as its own address (``rel="self"``): one rendering serves
#: every address of a feed, secret ones included, and ``with_self_link`` puts in the path
#: the request came by. The rendering must never hold that path: a secret address put there
#: would reach every reader of the feed (SECURITY.md, third review, #2).
SELF_PATH_PLACEHOLDER = "/feed-self-link"
# The self link as each format writes it, in the feed's head, before any entry: only that
# first occurrence is replaced, so nothing inside an entry ever is (and the sanitiser keeps
# no rel attribute in entries anyway: feeds.markup). The XML formats write an attribute;
# JSON Feed its "feed_url".
SELF_LINKS: dict[str, tuple[str, Callable[[str], str]]] = {
    "xml": ('href="{}" rel="self"', escape),
    "json": ('"feed_url": "{}"', lambda url: json.dumps(url)[1:-1]),
}


def site_origin(request):
    """Where absolute URLs point: FEEDS_SITE_URL, or the scheme and host of the request."""
    return app_settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def with_origin(request, content):
    """A rendering's content with the placeholder origin replaced by the site's."""
    return markup.with_origin(content, site_origin(request))


def with_self_link(request, content, fmt):
    """A rendering's content with the request's own path as the feed's own address, written
    as the format writes a URL (an XML attribute, a JSON string)."""
    template, quote = SELF_LINKS["json" if fmt == "json" else "xml"]
    placeholder = template.format(quote(PLACEHOLDER_ORIGIN + SELF_PATH_PLACEHOLDER))
    own = template.format(quote(PLACEHOLDER_ORIGIN + iri_to_uri(request.path)))
    return content.replace(placeholder.encode(), own.encode(), 1)


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

    def ttl(self):
        # RSS's hint, in minutes, beside every answer's Cache-Control (feeds.polling).
        return max(1, app_settings.POLL_INTERVAL // 60)

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

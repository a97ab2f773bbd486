"""The site's three feeds: who may read each, and what each holds. One list, used by the
URLs, the <link rel="alternate"> tags, /feeds/ and the OPML download."""

from dataclasses import dataclass

from django.urls import reverse

from feeds.models import AUDIENCES, VIEW_PERMISSION, Entry, Visibility, audience_of

#: Each format's media type, as <link rel="alternate"> announces it, and its name for people.
FORMATS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedKind:
    slug: str
    audience: str  # one of feeds.models.AUDIENCES: who may read it, and what it holds
    title: str
    description: str
    realm: str | None  # the Basic realm of a private feed; None for the public one

    @property
    def is_public(self):
        """Anyone may read it, with no authentication (and no secret address)."""
        return self.audience == Visibility.PUBLIC

    def entries(self):
        return Entry.objects.for_audience(self.audience)

    def readable_by(self, user):
        """Whether ``user`` may read this feed: anyone the public one, an active user the
        members one, an active holder of feeds.view_entry the staff one."""
        if self.is_public:
            return True
        if not user.is_active:
            return False
        if self.audience == Visibility.MEMBERS:  # asking for permissions costs two queries
            return user.is_authenticated
        return user.has_perm(VIEW_PERMISSION)


LATEST = FeedKind(
    "latest", Visibility.PUBLIC, "Latest entries", "Public entries, newest first.", None
)
MEMBERS = FeedKind(
    "members", Visibility.MEMBERS, "Members' entries", "Public and members-only entries.", "Members"
)
STAFF = FeedKind(
    "staff",
    Visibility.STAFF,
    "Staff feed",
    "Every entry, staff-only ones and drafts marked as such.",
    "Staff",
)
KINDS = (LATEST, MEMBERS, STAFF)


def readable_feeds(user):
    """The feeds ``user`` may read, with each format's name, URL name and media type."""
    rank = AUDIENCES.index(audience_of(user))  # once per page: it may ask for permissions
    return [
        {
            "kind": kind,
            "formats": [
                (fmt, FORMAT_NAMES[fmt], f"feed-{kind.slug}-{fmt}", FORMATS[fmt]) for fmt in FORMATS
            ],
        }
        for kind in KINDS
        if AUDIENCES.index(kind.audience) <= rank
    ]


def alternate_links(user):
    """``<link rel="alternate">`` attributes (type, title, href) of the feeds ``user`` may read."""
    return [
        {
            "type": content_type,
            "title": f"{feed['kind'].title} ({format_name})",
            "href": reverse(name),
        }
        for feed in readable_feeds(user)
        for _fmt, format_name, name, content_type in feed["formats"]
    ]

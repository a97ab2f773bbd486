"""The site's three feeds: who may read each, and what each holds. One list, used by the
URLs, the <link rel="alternate"> tags, /feeds/ and the OPML download."""

from dataclasses import dataclass

from feeds.models import VIEW_PERMISSION, Entry, Visibility

FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass(frozen=True)
class FeedKind:
    slug: str
    title: str
    description: str
    realm: str | None  # None: public, no authentication

    def readable_by(self, user):
        if self.slug == "staff":
            return user.has_perm(VIEW_PERMISSION)
        return self.realm is None or user.is_authenticated

    def entries(self):
        if self.slug == "staff":
            return Entry.objects.all()
        visibilities = [Visibility.PUBLIC]
        if self.slug == "members":
            visibilities.append(Visibility.MEMBERS)
        return Entry.objects.published().filter(visibility__in=visibilities)


LATEST = FeedKind("latest", "Latest entries", "Public entries, newest first.", None)
MEMBERS = FeedKind("members", "Members' entries", "Public and members-only entries.", "Members")
STAFF = FeedKind(
    "staff", "Staff feed", "Every entry, staff-only ones and drafts marked as such.", "Staff"
)
KINDS = (LATEST, MEMBERS, STAFF)


def readable_feeds(user):
    """The feeds ``user`` may read, with the URL name of each format."""
    return [
        {
            "kind": kind,
            "formats": [(fmt, f"feed-{kind.slug}-{fmt}", FORMATS[fmt]) for fmt in FORMATS],
        }
        for kind in KINDS
        if kind.readable_by(user)
    ]

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from feeds.models import Entry, Visibility


@pytest.fixture
def bob(bob):
    """The demo's staff author, who may read the staff feed."""
    bob.user_permissions.add(Permission.objects.get(codename="view_entry"))
    return bob


@pytest.fixture
def entries(bob):
    """One entry of each kind: public, members, staff, draft, scheduled."""
    now = timezone.now()

    def make(slug, visibility, published_at, body="Body with a [relative link](/status/)."):
        return Entry.objects.create(
            title=slug.replace("-", " ").title(),
            slug=slug,
            body=body,
            author=bob,
            visibility=visibility,
            published_at=published_at,
        )

    return {
        "public": make("public-entry", Visibility.PUBLIC, now - timedelta(hours=1)),
        "members": make("members-entry", Visibility.MEMBERS, now - timedelta(hours=2)),
        "staff": make("staff-entry", Visibility.STAFF, now - timedelta(hours=3)),
        "draft": make("draft-entry", Visibility.PUBLIC, None),
        "scheduled": make("scheduled-entry", Visibility.PUBLIC, now + timedelta(days=1)),
    }

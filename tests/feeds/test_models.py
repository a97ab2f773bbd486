from django.contrib.auth.models import AnonymousUser

from feeds.models import Entry


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def test_visitors_see_published_public_entries(entries):
    assert slugs(Entry.objects.visible_to(AnonymousUser())) == {"public-entry"}


def test_members_see_published_public_and_members_entries(entries, alice):
    assert slugs(Entry.objects.visible_to(alice)) == {"public-entry", "members-entry"}


def test_staff_with_the_permission_see_everything(entries, bob):
    assert slugs(Entry.objects.visible_to(bob)) == set(slugs(Entry.objects.all()))


def test_drafts_and_scheduled_entries_are_drafts(entries):
    assert entries["draft"].is_draft is True
    assert entries["scheduled"].is_draft is True
    assert entries["public"].is_draft is False


def test_newest_first_puts_undated_drafts_by_their_last_change(entries):
    ordered = list(Entry.objects.newest_first().values_list("slug", flat=True))
    assert ordered[0] == "scheduled-entry"  # published tomorrow
    assert ordered[-1] == "staff-entry"

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


def test_saving_renders_the_body_once_with_links_to_the_placeholder_origin(entries, bob):
    entry = Entry.objects.get(slug="public-entry")
    link = 'rel="noopener noreferrer">relative link</a>'
    assert entry.body_html == (
        f'<p>Body with a <a href="https://site-origin.invalid/status/" {link}.</p>'
    )
    # The entry page's HTML: links relative to the site's root.
    assert entry.html == f'<p>Body with a <a href="/status/" {link}.</p>'
    entry.body = "Now **bold**."
    entry.save(update_fields=["body"])  # body_html goes with it
    assert Entry.objects.get(pk=entry.pk).body_html == "<p>Now <strong>bold</strong>.</p>"


def test_the_entry_page_shows_the_stored_html(client, entries):
    Entry.objects.filter(slug="public-entry").update(body_html="<p>Stored, not rendered.</p>")
    page = client.get("/entries/public-entry/").content.decode()
    assert "<p>Stored, not rendered.</p>" in page
    assert "relative link" not in page  # the Markdown is not rendered again

"""Render every entry's stored HTML again: after a change to feeds.markup's rules, or after
entries were written with bulk_create() or update(), which skip Entry.save()."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from feeds.markup import render_body
from feeds.models import Entry


class Command(BaseCommand):
    help = (
        "Render every entry's body into its stored HTML again (after changing feeds/markup.py, "
        "or writing entries with bulk_create() or update()). Entries whose HTML changes are "
        "marked updated, so that feeds serve them at once."
    )

    def handle(self, *args, **options):
        changed = 0
        for entry in Entry.objects.only("pk", "body", "body_html").iterator():
            html = render_body(entry.body)
            if html != entry.body_html:
                Entry.objects.filter(pk=entry.pk).update(body_html=html, updated_at=timezone.now())
                changed += 1
        self.stdout.write(f"{changed} entr{'y' if changed == 1 else 'ies'} rendered anew.")

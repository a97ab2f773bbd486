"""Entries, each with a visibility: public, members (signed-in users) or staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from feeds.markup import render_markdown

VIEW_PERMISSION = "feeds.view_entry"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members"
    STAFF = "staff", "Staff"


# The visibilities as audiences, from least to most: each reads its own entries and those of
# the audiences before it.
AUDIENCES = tuple(Visibility.values)


def audience_of(user):
    """The widest audience ``user`` belongs to."""
    if user.has_perm(VIEW_PERMISSION):
        return Visibility.STAFF
    return Visibility.MEMBERS if user.is_authenticated else Visibility.PUBLIC


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Entries whose publication time has come (drafts have none)."""
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def for_audience(self, audience):
        """What an audience reads: staff (holding feeds.view_entry) everything, drafts
        included; members published public and members entries; the public, public ones."""
        if audience == Visibility.STAFF:
            return self.all()
        visibilities = AUDIENCES[: AUDIENCES.index(audience) + 1]
        return self.published().filter(visibility__in=visibilities)

    def visible_to(self, user):
        return self.for_audience(audience_of(user))

    def newest_first(self):
        # Drafts (no publication time) sort by their last change.
        return self.order_by(models.functions.Coalesce("published_at", "updated_at").desc(), "-pk")


class Entry(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(help_text="Markdown. Raw HTML is sanitised away on output.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entries"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Empty: a draft. In the future: scheduled."
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        indexes = [models.Index(fields=["visibility", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="entry_visibility_known"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("entry-detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self):
        return self.published_at is None or self.published_at > timezone.now()

    def body_html(self, base_url=None):
        """The body as safe HTML; with ``base_url``, relative links made absolute (feeds)."""
        return render_markdown(self.body, base_url)

"""Entries, each with a visibility: public, members (signed-in users) or staff; and the secret
feed addresses that open a private feed to a reader that cannot send a password."""

import hmac
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from feeds.markup import render_body, with_origin
from httpauth.models import ReaderSecret, digest

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
        return self.order_by(Coalesce("published_at", "updated_at").desc(), "-pk")


class Entry(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(help_text="Markdown. Raw HTML is sanitised away.")
    # The body rendered, kept so that no page or feed renders Markdown again (feeds.markup).
    # save() writes it; bulk_create() and update() do not: run manage.py render_entries.
    body_html = models.TextField(editable=False, default="")
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

    def save(self, *args, update_fields=None, **kwargs):
        self.render()
        if update_fields is not None and "body" in update_fields:
            update_fields = {*update_fields, "body_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("entry-detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self):
        return self.published_at is None or self.published_at > timezone.now()

    def render(self):
        """Render the body into ``body_html`` (save() does it)."""
        self.body_html = render_body(self.body)

    @property
    def html(self):
        """The body as the site's pages show it: links relative to the site's root."""
        return mark_safe(with_origin(self.body_html, ""))  # noqa: S308 - sanitised when stored


class SecretAddress(ReaderSecret):
    """A secret in a feed's address (``/feeds/s/<secret>/members.rss``) that opens that one
    private feed, for readers that cannot send a username and password.

    The secret starts with its selector, the lookup key; the digest of the whole secret is
    then compared in constant time, so neither the database index nor the comparison times
    anything an attacker can use.
    """

    # Feeds a secret address may open: the private ones (feeds.catalog).
    FEEDS = [(Visibility.MEMBERS, "Members' entries"), (Visibility.STAFF, "Staff feed")]
    #: At the start of every secret, so that secret scanners, log redaction and people tell one.
    PREFIX = "feed_"
    #: What issue() makes: the prefix, then secrets.token_urlsafe(32).
    SHAPE = re.compile(PREFIX + r"[A-Za-z0-9_-]{43}")
    SELECTOR_LENGTH = 12

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_addresses"
    )
    feed = models.CharField(max_length=10, choices=FEEDS)
    selector = models.CharField(max_length=SELECTOR_LENGTH, unique=True, editable=False)

    class Meta(ReaderSecret.Meta):
        verbose_name = "secret feed address"
        verbose_name_plural = "secret feed addresses"

    @classmethod
    def issue(cls, user, feed, name):
        """Create a secret address of ``feed``; return it with its secret, never stored."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        address = cls.objects.create(
            user=user, feed=feed, name=name, selector=cls._selector(secret), digest=digest(secret)
        )
        return address, secret

    @classmethod
    def _selector(cls, secret):
        return secret[len(cls.PREFIX) :][: cls.SELECTOR_LENGTH]

    @classmethod
    def find(cls, secret):
        """The address ``secret`` names, with its user, or None."""
        # Only what issue() makes reaches the database: a path may carry anything, and
        # PostgreSQL refuses some of it (a NUL byte) with an error, not an empty answer.
        if not cls.SHAPE.fullmatch(secret):
            return None
        address = cls.objects.select_related("user").filter(selector=cls._selector(secret)).first()
        if address is None or not hmac.compare_digest(address.digest, digest(secret)):
            return None
        return address

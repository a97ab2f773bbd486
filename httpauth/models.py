"""App passwords: random passwords a user gives feed readers instead of their own, on what
every secret given to a reader keeps (``ReaderSecret``)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import timezone

from httpauth.conf import app_settings, resolved

logger = logging.getLogger("httpauth")

# How often last_used is written: readers poll every few minutes, a write per poll is waste.
LAST_USED_RESOLUTION_SECONDS = 300
USED_BY_LENGTH = 60


def reader_label(user_agent: str) -> str:
    """The name HTTPAUTH_READER_LABEL gives a reader's User-Agent; without one, the
    User-Agent's first printable characters; "" when the labeller fails (logged: a poll
    never fails for it)."""
    try:
        label = (
            user_agent
            if app_settings.READER_LABEL is None
            else resolved("READER_LABEL")(user_agent)
        )
        # Printable characters only: a header is the client's to write, and PostgreSQL
        # refuses a NUL in a text column.
        return "".join(filter(str.isprintable, str(label or "")))[:USED_BY_LENGTH]
    except Exception:  # whatever a project's labeller raises, the poll goes on
        logger.exception("HTTPAUTH_READER_LABEL failed; the reader stays unnamed")
        return ""


def digest(token: str) -> str:
    """SHA-256 of a reader secret: 256 random bits need no slow hash to resist guessing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ReaderSecret(models.Model):
    """What every secret given to a feed reader keeps: its name, the digest of the secret
    (never the secret), and when it was made and last used. App passwords here; secret feed
    addresses (feeds.models) too. Each concrete model has a ``user`` foreign key and a
    ``PREFIX`` its secrets start with, which the site's logs mask (httpauth.reader_access)."""

    #: At the start of every secret, so that secret scanners, log redaction and people tell one.
    PREFIX = ""
    if TYPE_CHECKING:  # every concrete model's foreign key to the user
        user: Any

    name = models.CharField(max_length=100, help_text="Which reader or device uses it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: What last used it, named from its User-Agent (HTTPAUTH_READER_LABEL).
    used_by = models.CharField(max_length=USED_BY_LENGTH, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def used_lately(self) -> bool:
        """Used within the last LAST_USED_RESOLUTION_SECONDS: all "last used" can tell, as
        it is written once in that time (pages say "in the last 5 minutes")."""
        return self.last_used_at is not None and (
            (timezone.now() - self.last_used_at).total_seconds() < LAST_USED_RESOLUTION_SECONDS
        )

    def note_use(self, user_agent: str = "") -> None:
        """Note that a reader with ``user_agent`` just used it: one write every
        LAST_USED_RESOLUTION_SECONDS at most, never one per poll."""
        now = timezone.now()
        stale = self.last_used_at is None or (
            (now - self.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
        )
        if stale:
            used_by = reader_label(user_agent)
            type(self)._default_manager.filter(pk=self.pk).update(last_used_at=now, used_by=used_by)
            self.last_used_at, self.used_by = now, used_by


class AppPassword(ReaderSecret):
    PREFIX = "app_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )

    @classmethod
    def issue(cls, user: AbstractBaseUser, name: str) -> tuple[AppPassword, str]:
        """Create an app password; return it with its token, which is never stored."""
        token = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=digest(token)), token


class LimitCounter(models.Model):
    """One per-client limit's count in its window (httpauth.limits): in the database, where a
    flush or a restart of a cache cannot reset it."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.window_ends:%Y-%m-%d %H:%M:%S}"

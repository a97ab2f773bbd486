"""Copy live sessions from Django's db engine into the sessions cluster."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sessions_backend import user_sessions
from sessions_backend.backends.cache import KEY_PREFIX
from sessions_backend.cluster import sessions_cluster
from sessions_backend.outage import SessionStoreUnavailable


class Command(BaseCommand):
    help = (
        "Copy the live sessions of Django's db engine (the django_session table) into the "
        "sessions cluster with their remaining lifetime, for sessions_backend.backends.cache. "
        "Sessions already in the cluster are left alone, so it is safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SESSION_ENGINE == "sessions_backend.backends.cached_db":
            self.stdout.write(
                "SESSION_ENGINE is cached_db, which reads the database: nothing to import."
            )
            return
        cluster, decoder, now = sessions_cluster(), DBStore(), timezone.now()
        imported = present = 0
        try:
            for row in Session.objects.filter(expire_date__gt=now).iterator():
                data = decoder.decode(row.session_data)
                lifetime = int((row.expire_date - now).total_seconds())
                if lifetime < 1:
                    continue
                if not cluster.add(KEY_PREFIX + row.session_key, data, lifetime):
                    present += 1
                    continue
                imported += 1
                if data.get(SESSION_KEY) is not None:
                    user_sessions.add(data[SESSION_KEY], row.session_key, lifetime, request=None)
        except SessionStoreUnavailable as exc:
            raise CommandError(
                f"The sessions cluster is unavailable ({exc}); nothing more imported."
            ) from exc
        expired = Session.objects.filter(expire_date__lte=now).count()
        self.stdout.write(
            f"Imported {imported} sessions; {present} were already in the cluster; "
            f"{expired} expired ones skipped."
        )

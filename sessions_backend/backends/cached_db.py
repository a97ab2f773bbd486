"""Sessions in the database, with the sessions cluster in front.

Django's db engine, read through the sessions cluster: a read hits the cluster first and
falls back to the database on a miss or an outage, refilling the cluster, so a restart of
the sessions cluster signs nobody out. Its keys are those of Django's cached_db engine, so
switching between the two signs nobody out either. What differs from Django's cached_db:

- a failed cache read or write is logged (rate-limited) and the database answers alone;
  Django's logs a traceback per failed save, and a failed refill, ``exists`` or delete
  raises;
- an update is one ``UPDATE`` whose row count refuses to bring back a session deleted
  meanwhile, without the transaction, savepoint and model signals of a model save;
- deleting a session (sign-out, revocation) forgets the cached copy first, and refuses with
  ``SessionStoreUnavailable`` (a 503) if it cannot: deleting only the row would leave a
  cached copy that signs the user back in when the cluster returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache.backends.base import InvalidCacheKey
from django.db import router

from sessions_backend.backends.base import ClusterSessionMixin
from sessions_backend.outage import SessionStoreUnavailable, report

if TYPE_CHECKING:  # a runtime import would need the app registry, as Django's engine says
    from django.contrib.sessions.models import Session

KEY_PREFIX = django_cached_db.KEY_PREFIX


class SessionStore(ClusterSessionMixin, DBStore):
    if TYPE_CHECKING:  # Django's private API, which django-stubs leaves out

        def _get_session_from_db(self) -> Session | None: ...

    cache_key_prefix = KEY_PREFIX

    _cluster_down = False  # set at the first failure: one warning per request is enough

    def _cached(self, session_key: str) -> dict[str, Any] | None:
        """Return the cached copy, or None when there is none or the cluster is away."""
        if self._cluster_down:
            return None
        try:
            found: dict[str, Any] | None = self._cluster.get(self.cache_key_prefix + session_key)
            return found
        except InvalidCacheKey:
            return None
        except SessionStoreUnavailable as exc:
            report("load", exc, "read from the database instead")
            self._cluster_down = True
            return None

    def _cache_copy(self, data: dict[str, Any], expiry_age: int) -> None:
        if self._cluster_down:
            return
        try:
            self._cluster.set(self.cache_key, data, expiry_age)
        except InvalidCacheKey:
            pass
        except SessionStoreUnavailable as exc:
            report("save", exc, "saved in the database only")
            self._cluster_down = True

    def load(self) -> dict[str, Any]:
        data = self._cached(self._get_or_create_session_key())
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._cache_copy(data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def exists(self, session_key: str) -> bool:
        if session_key and self._cached(session_key) is not None:
            return True
        return super().exists(session_key)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        if must_create:
            super().save(must_create=True)  # an INSERT; CreateError if the key is taken
        else:
            self._update_row()
        self._cache_copy(self._session, self.get_expiry_age())
        return None

    def _update_row(self) -> None:
        # Django saves a model instance inside an atomic block: a transaction, a savepoint
        # and the model signals around one UPDATE. The UPDATE alone is atomic, and its row
        # count says whether the session still exists: none means it was deleted since it
        # was loaded, and must not come back (UpdateError, as Django raises).
        using = router.db_for_write(self.model)
        updated = (
            self.model._default_manager.using(using)
            .filter(session_key=self.session_key)
            .update(session_data=self.encode(self._session), expire_date=self.get_expiry_date())
        )
        if not updated:
            raise UpdateError

    def delete(self, session_key: str | None = None) -> None:
        if (session_key := self._key_to_delete(session_key)) is None:
            return
        self._forget_cached(session_key)  # first: see the module docstring
        super().delete(session_key)

    def cycle_key(self) -> None:
        old_key = self.session_key
        try:
            super().cycle_key()
        except SessionStoreUnavailable as exc:
            # The new key is stored; only forgetting the old key's cached copy failed. That
            # copy holds what the visitor had before signing in, never the sign-in itself.
            report("delete", exc, "the old key's cached copy expires on its own")
            super().delete(old_key)  # the row alone: the copy cannot be reached

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
- **a session signed out stays signed out**, whatever request was in flight. Django's
  engine deletes the cached copy, then the row, and a load refills the copy with ``set``:
  a load that read the row just before it was deleted puts the session back in the cache
  after it, where every later request finds it. Here deleting writes a *tombstone* in place
  of the copy (``set``, the only unconditional write), then deletes the row; a refill is an
  ``add`` (stored only where nothing is, so never over a tombstone), and a save writes the
  copy with ``cas`` against what it saw before its ``UPDATE`` (so never over a tombstone
  written since). ``load()`` and ``exists()`` read a tombstone as "no session". Every
  ordering of a deletion's steps against a load's and a save's is driven in
  tests/sessions_backend/test_interleavings.py;
- deleting refuses with ``SessionStoreUnavailable`` (a 503) when the tombstone cannot be
  written: deleting only the row would leave a cached copy that signs the user back in when
  the cluster returns.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, cast

from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache.backends.base import InvalidCacheKey
from django.db import router
from django.utils import timezone

from sessions_backend.backends.base import ClusterSessionMixin
from sessions_backend.outage import SessionStoreUnavailable, report

if TYPE_CHECKING:  # a runtime import would need the app registry, as Django's engine says
    from django.contrib.sessions.base_session import AbstractBaseSession

KEY_PREFIX = django_cached_db.KEY_PREFIX
#: What a deleted session's cached copy becomes. A dict, so that Django's own engines, should
#: a project switch back to them, read it as an empty session (signed out), not as an error.
TOMBSTONE = {"_sessions_backend_signed_out": True}
# How long a tombstone stays. It only has to outlive the gap between a load's read of the
# row and its refill (two adjacent calls): an hour is ample, and costs about 200 bytes of
# memcached per sign-out for that hour. Session keys are never reused, so it blocks nothing.
TOMBSTONE_SECONDS = 3600
# A save whose copy changed since it looked makes the copy what the row now says; other
# saves of the same session may be doing the same, and a few rounds settle any real burst.
RECONCILE_ATTEMPTS = 5


def is_tombstone(copy: Any) -> bool:
    return bool(copy == TOMBSTONE)


class SessionStore(ClusterSessionMixin, DBStore):
    if TYPE_CHECKING:  # Django's private API, which django-stubs leaves out

        def _get_session_from_db(self) -> AbstractBaseSession | None: ...

    cache_key_prefix = KEY_PREFIX

    _cluster_down = False  # set at the first failure: one warning per request is enough
    # The cas token of the copy this request loaded, which save() writes the copy against;
    # None when it loaded none (a new session, a refill): save() then looks first.
    _token: Any = None

    def _cached(self, session_key: str, *, token: bool = False) -> tuple[Any, Any]:
        """Return ``(copy, cas token)``, ``(None, None)`` when there is none or the cluster
        is away; with ``token=False`` a plain get, and no token."""
        if self._cluster_down:
            return None, None
        key = self.cache_key_prefix + session_key
        try:
            return self._cluster.gets(key) if token else (self._cluster.get(key), None)
        except InvalidCacheKey:
            return None, None
        except SessionStoreUnavailable as exc:
            report("load", exc, "read from the database instead")
            self._cluster_down = True
            return None, None

    def _write(self, operation: str, *args: Any) -> bool:
        """``add`` or ``cas`` this session's copy; False when refused, or the cluster is away."""
        if self._cluster_down:
            return False
        try:
            stored = getattr(self._cluster, operation)(self.cache_key, *args)
        except InvalidCacheKey:
            return False
        except SessionStoreUnavailable as exc:
            report("save", exc, "saved in the database only")
            self._cluster_down = True
            return False
        return bool(stored)

    def load(self) -> dict[str, Any]:
        copy, token = self._cached(self._get_or_create_session_key(), token=True)
        if is_tombstone(copy):
            self._session_key = None  # signed out: a save makes a new session, as Django's
            return {}
        if copy is not None:
            self._token = token
            return cast(dict[str, Any], copy)
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        # add, never set: a tombstone written since the row was read stays.
        self._write("add", data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def exists(self, session_key: str) -> bool:
        if not session_key:
            return False
        copy, _ = self._cached(session_key)
        if copy is not None:
            return not is_tombstone(copy)
        return super().exists(session_key)

    def existing(self, session_keys: list[str]) -> list[str]:
        """Which of these sessions exist (a user's session list): one multi-get of their
        copies, and one query for those without one."""
        copies: dict[str, Any] = {}
        if not self._cluster_down:
            try:
                copies = self._cluster.get_many([self.cache_key_prefix + k for k in session_keys])
            except SessionStoreUnavailable as exc:
                report("load", exc, "read from the database instead")
                self._cluster_down = True
        live, uncached = [], []
        for key in session_keys:
            copy = copies.get(self.cache_key_prefix + key)
            if copy is None:
                uncached.append(key)
            elif not is_tombstone(copy):
                live.append(key)
        if uncached:
            rows = self.model._default_manager.filter(session_key__in=uncached)
            live += rows.values_list("session_key", flat=True)
        return live

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        if must_create:
            super().save(must_create=True)  # an INSERT; CreateError if the key is taken
            self._write("add", self._session, self.get_expiry_age())  # a new key: add
            return None
        token = self._token
        if token is None:  # what the copy is must be known before the UPDATE: _write_copy
            copy, token = self._cached(self.session_key, token=True)
            if is_tombstone(copy):
                raise UpdateError  # signed out since it was loaded: do not resurrect
        self._update_row()
        self._write_copy(self.session_key, token)
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

    def _write_copy(self, session_key: str, token: Any) -> None:
        """Store this request's data as the copy, against ``token``, seen before the UPDATE
        (None: there was no copy).

        That ``cas`` (or ``add``) is refused if anything wrote the copy since: a tombstone
        (the session stays signed out), or another save, whose UPDATE may be older or newer
        than ours. Then the copy is made what the row says now (``_reconcile``)."""
        age = self.get_expiry_age()
        stored = (
            self._write("add", self._session, age)
            if token is None
            else self._write("cas", self._session, token, age)
        )
        self._token = None  # the copy has changed: a second save looks again
        if not stored and not self._cluster_down:
            self._reconcile(session_key)

    def _reconcile(self, session_key: str) -> None:
        """Make the copy what the row says, unless there is none or it is a tombstone.

        Each round reads the row after the ``gets`` its ``cas`` uses, so a ``cas`` that
        succeeds stores a row no older than any write it replaces; one refused means another
        write landed meanwhile, and the round starts again."""
        for _attempt in range(RECONCILE_ATTEMPTS):
            copy, token = self._cached(session_key, token=True)
            if copy is None or is_tombstone(copy):
                return  # nothing to correct: a load refills from the row, or it is signed out
            row = self._live_row(session_key)
            if row is None:  # deleted, and its tombstone gone: the copy must not outlive it
                value, age = TOMBSTONE, TOMBSTONE_SECONDS
            else:
                value = self.decode(row.session_data)
                age = self.get_expiry_age(expiry=row.expire_date)
            if self._write("cas", value, token, age) or self._cluster_down:
                return
        failure = SessionStoreUnavailable(f"the copy changed {RECONCILE_ATTEMPTS} times")
        report("save", failure, "the cached copy may be stale until the next save")

    def _live_row(self, session_key: str) -> AbstractBaseSession | None:
        # Not _get_session_from_db(): that forgets the session key when there is no row.
        live = self.model._default_manager.filter(expire_date__gt=timezone.now())
        return live.filter(session_key=session_key).first()

    def delete(self, session_key: str | None = None) -> None:
        if (session_key := self._key_to_delete(session_key)) is None:
            return
        self._forget_cached(session_key)  # first: see the module docstring
        # One DELETE (Django's engine selects the row, then deletes it).
        self.model._default_manager.filter(session_key=session_key).delete()

    def _forget_cached(self, session_key: str) -> None:
        """Write the session's tombstone over its copy (SessionStoreUnavailable if the
        cluster is unreachable)."""
        with contextlib.suppress(InvalidCacheKey):  # memcached could never have held it
            self._cluster.set(self.cache_key_prefix + session_key, TOMBSTONE, TOMBSTONE_SECONDS)

    def cycle_key(self) -> None:
        old_key = self.session_key
        try:
            super().cycle_key()
        except SessionStoreUnavailable as exc:
            # The new key is stored; only burying the old key's cached copy failed. That
            # copy holds what the visitor had before signing in, never the sign-in itself.
            report("delete", exc, "the old key's cached copy expires on its own")
            self.model._default_manager.filter(session_key=old_key).delete()

"""What both engines add to Django's: the sessions cluster, one implementation per
operation, and a cycled key carried over to its owner's session list."""

import contextlib
from typing import TYPE_CHECKING, Any, cast

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache.backends.base import InvalidCacheKey

from sessions_backend import user_sessions
from sessions_backend.cluster import sessions_cluster

if TYPE_CHECKING:  # what the mixin is mixed into: one of Django's cache-backed engines
    from django.contrib.sessions.backends.cache import SessionStore as _CacheEngine
else:
    _CacheEngine = object


class ClusterSessionMixin(_CacheEngine):
    if TYPE_CHECKING:  # Django's private API, which django-stubs leaves out
        _session: dict[str, Any]
        cache_key_prefix: str

        def _get_or_create_session_key(self) -> str: ...
        def _get_session(self, no_load: bool = False) -> dict[str, Any]: ...

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cluster = sessions_cluster()  # CACHES[SESSION_CACHE_ALIAS], as Django's engines

    @property
    def cache_key(self) -> str:
        """The key of this session in the cluster (Django's engines name it the same)."""
        return self.cache_key_prefix + self._get_or_create_session_key()

    def _key_to_delete(self, session_key: str | None) -> str | None:
        """``delete()``'s key: the one given, or this session's own (None: nothing to do)."""
        return self.session_key if session_key is None else session_key

    def _forget_cached(self, session_key: str) -> None:
        """Delete a session's copy in the cluster (SessionStoreUnavailable if unreachable)."""
        with contextlib.suppress(InvalidCacheKey):  # memcached could never have held it
            self._cluster.delete(self.cache_key_prefix + session_key)

    # Django's engines give each operation an async twin of its own. Ours run the sync method
    # in a thread, as SessionBase does, so each behaviour (and outage rule) is written once
    # and the two can never disagree.
    aload = SessionBase.aload
    asave = SessionBase.asave
    acreate = SessionBase.acreate
    aexists = SessionBase.aexists
    adelete = SessionBase.adelete
    aflush = SessionBase.aflush

    async def acycle_key(self) -> None:
        return await sync_to_async(self.cycle_key)()

    def cycle_key(self) -> None:
        """Give the session a new key; a signed-in session keeps its place in the user's list
        (``update_session_auth_hash`` cycles the key after a password change)."""
        old_key = self.session_key
        super().cycle_key()
        user_id = self.get(SESSION_KEY)
        if user_id is not None:
            new_key = cast(str, self.session_key)  # cycle_key() has just made it
            user_sessions.rekey(user_id, old_key, new_key, self.get_expiry_age())

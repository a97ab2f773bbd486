"""What both engines add to Django's: one implementation per operation, and a cycled key
carried over to its owner's session list."""

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase

from sessions_backend import index


class ClusterSessionMixin:
    # Django's cache engines give each operation an async twin of its own. Ours run the sync
    # method in a thread, as SessionBase does, so each behaviour (and outage rule) is written
    # once and the two can never disagree.
    aload = SessionBase.aload
    asave = SessionBase.asave
    acreate = SessionBase.acreate
    aexists = SessionBase.aexists
    adelete = SessionBase.adelete
    aflush = SessionBase.aflush

    async def acycle_key(self):
        return await sync_to_async(self.cycle_key)()

    def cycle_key(self):
        """Give the session a new key; a signed-in session keeps its place in the user's list
        (``update_session_auth_hash`` cycles the key after a password change)."""
        old_key = self.session_key
        super().cycle_key()
        user_id = self.get(SESSION_KEY)
        if user_id is not None:
            index.rekey(user_id, old_key, self.session_key, self.get_expiry_age())

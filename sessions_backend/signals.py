"""Signals of the sessions cluster, for whatever counts them (a project's metrics). Sent
with ``sender=None``; receivers take ``**kwargs``.
"""

from django.dispatch import Signal

#: A call to the sessions cluster (``sessions_backend.cluster.MemcachedCluster``): ``result``
#: is "hit" or "miss" for each key looked up, "error" for a call that failed; ``count`` keys.
cluster_accessed = Signal()
#: Every ``result`` it is sent with.
ACCESS_RESULTS = ("hit", "miss", "error")

#: A session that could not be loaded or written (``sessions_backend.outage.report``):
#: ``operation`` is "load" or "write" (saves, deletions and session lists are writes).
store_failed = Signal()
#: Every ``operation`` it is sent with.
FAILED_OPERATIONS = ("load", "write")

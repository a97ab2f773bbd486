"""Where a key lives: libmemcached's ketama ring, for pymemcache and for skipping nodes.

pylibmc (libmemcached) with ``"ketama": True`` places keys on a continuum of 100 points per
node, each point the Jenkins one-at-a-time hash of ``"host:port-N"`` (``"host-N"`` on port
11211); a key goes to the first point at or after its own hash, wrapping past the top.
pymemcache's ``HashClient`` places keys by rendezvous hashing instead, which would move most
keys when a site switches clients (signing everyone out on the cache engine).
``LibmemcachedKetama`` is a pymemcache ``hasher`` that places every key where pylibmc does
(settings: ``OPTIONS["hasher"]`` of both clusters under ``MEMCACHED_CLIENT=pymemcache``);
tests/sessions_backend/test_ring.py proves it on real daemons, key for key. It also tells
``sessions_backend.clients`` which node a pylibmc call went to, for ``sessions_backend.nodes``.

Sources: libmemcached's ``hosts.cc`` (``update_continuum``), ``hash.cc`` (``dispatch_host``)
and libhashkit's ``one_at_a_time.cc``, the same from 1.0.18 to awesomized's 1.1.4 (Debian 12's,
which the tests run).
"""

import bisect

#: Points per node on the continuum: libmemcached's MEMCACHED_POINTS_PER_SERVER.
POINTS_PER_NODE = 100
#: The port libmemcached leaves out of a point's name (MEMCACHED_DEFAULT_PORT).
DEFAULT_PORT = 11211


def one_at_a_time(data: bytes) -> int:
    """Jenkins' one-at-a-time hash, as libhashkit computes it (its "default" hash)."""
    value = 0
    for byte in data:
        # libhashkit reads the key as (signed) char: bytes above 127 are sign-extended.
        value = (value + (byte if byte < 128 else byte | 0xFFFFFF00)) & 0xFFFFFFFF
        value = (value + (value << 10)) & 0xFFFFFFFF
        value ^= value >> 6
    value = (value + (value << 3)) & 0xFFFFFFFF
    value ^= value >> 11
    return (value + (value << 15)) & 0xFFFFFFFF


def point_names(node: str) -> list[bytes]:
    """The names libmemcached hashes into a node's points; ``node`` is ``"host:port"``."""
    host, _, port = node.rpartition(":")
    stem = host if int(port) == DEFAULT_PORT else node
    return [f"{stem}-{index}".encode() for index in range(POINTS_PER_NODE)]


class LibmemcachedKetama:
    """A pymemcache hasher (``add_node``, ``remove_node``, ``get_node``) on libmemcached's ring.

    Nodes are named ``"host:port"``, as ``HashClient`` names them.
    """

    def __init__(self) -> None:
        self.nodes: list[str] = []
        self._points: list[int] = []
        self._owners: list[str] = []

    def add_node(self, node: str) -> None:
        self.nodes.append(node)
        self._rebuild()

    def remove_node(self, node: str) -> None:
        self.nodes.remove(node)
        self._rebuild()

    def _rebuild(self) -> None:
        # Sorted by value; libmemcached's qsort leaves equal values in no set order, and
        # equal 32-bit points of two nodes are rare enough not to matter.
        continuum = sorted(
            (one_at_a_time(name), node) for node in self.nodes for name in point_names(node)
        )
        self._points = [value for value, _ in continuum]
        self._owners = [node for _, node in continuum]

    def get_node(self, key: str | bytes) -> str | None:
        if not self._points:
            return None
        if isinstance(key, str):
            key = key.encode()
        index = bisect.bisect_left(self._points, one_at_a_time(key))
        return self._owners[index % len(self._owners)]

"""Every interleaving of two operations, driven one step at a time (not a sleep-based race).

Two requests of one session can interleave: a sign-out and a poll, a refill and a delete,
two saves. ``every_interleaving(operations, setup, check, steps=...)`` runs the operations in
two threads that stop before each *step* (one call to the sessions cluster, or one SQL
statement) until the scheduler lets them take it. Each run follows one order of the steps;
runs are replayed until every order has been taken (a depth-first search over the
scheduler's choices, each run from a fresh ``setup()``), and ``check`` asserts what must hold
after each. A failure names the order that broke it.

``steps(label)`` says which steps are scheduled: those on the session itself (its key in
the cluster, its table). Every other step (the user's session list, a lockout's table) runs
without stopping: it touches nothing the other operation touches, so where it falls among
the other's steps changes nothing, and scheduling it would only multiply equal runs.

For the same reason, two orders that differ only by swapping two adjacent steps of the two
operations that cannot see each other (on different stores: a key in the cluster and a
table; or both reads: ``get``, ``gets``, ``SELECT``) are the same run, and only one of them
is taken: of such a pair, the second operation's step never directly follows the first's
(partial-order reduction). Every order that any step could tell apart is still taken.

The cluster is real memcached and the database the test's own; nothing is faked, only
paused. Each operation runs in a worker thread kept for the whole test, so each keeps one
database connection and one memcached client, as a server's thread does.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Callable, Iterator

from django.core.cache import caches
from django.db import connection

from sessions_backend import cluster

#: How long a step may take (a stuck run fails instead of hanging the suite).
STEP_SECONDS = 10
# Transaction control is not a step: it changes nothing another connection can see.
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)

BEGIN = re.compile(r"\s*BEGIN\b", re.I)
TABLE = re.compile(r'(?:FROM|UPDATE|INTO)\s+"?(\w+)', re.I)

READS = {"get", "gets", "get_multi", "SELECT"}

_local = threading.local()  # in a worker: its scheduler and name


def independent(label, other):
    """Whether two steps ("<operation> <key or table>") commute: neither can see the other."""
    operation, _, resource = label.partition(" ")
    other_operation, _, other_resource = other.partition(" ")
    return resource != other_resource or {operation, other_operation} <= READS


class Scheduler:
    """One run: lets one worker take one step at a time, in the order ``choose`` picks.

    A worker about to take a step says so (``arrived``) and waits for its own ``go``; one
    that finishes says so too. So the scheduler always knows that no worker is running
    when it picks the next one.
    """

    def __init__(self, names: list[str], choose: Callable[[int], int], steps) -> None:
        self.names = names
        self.choose = choose
        self.steps = steps
        self.paused = dict.fromkeys(names, False)
        self.label: dict[str, str] = {}  # each paused worker's next step
        self.last: tuple[int, str] | None = None  # who took the last step, and which
        self.redundant = False  # the same run as another, already or still to be taken
        self.go = {name: threading.Semaphore(0) for name in names}
        self.arrived = threading.Semaphore(0)
        self.trace: list[str] = []

    def pause(self, name: str, label: str) -> None:
        """Called by worker ``name`` before a step: wait until it is its turn."""
        if not self.steps(label):
            return
        self.paused[name], self.label[name] = True, label
        self.arrived.release()
        if not self.go[name].acquire(timeout=STEP_SECONDS * 3):
            raise AssertionError(f"{name} never got its turn for {label}")
        self.trace.append(f"{name}: {label}")

    def finished(self, name: str) -> None:
        self.paused[name] = False
        self.arrived.release()

    def run(self) -> None:
        """Grant steps until every worker is done."""
        running = len(self.names)
        while True:
            for _ in range(running):  # each running worker pauses or finishes
                if not self.arrived.acquire(timeout=STEP_SECONDS):
                    raise AssertionError(f"a step took over {STEP_SECONDS} s after {self}")
            waiting = [name for name in self.names if self.paused[name]]
            if not waiting:
                return
            name = self._pick(waiting)
            self.paused[name], running = False, 1
            self.last = (self.names.index(name), self.label[name])
            self.go[name].release()

    def _pick(self, waiting: list[str]) -> str:
        """The next worker, as ``choose`` says among the orders worth taking (see above)."""
        worth = [name for name in waiting if not self._swapped_pair(name)]
        if self.redundant or not worth:
            # This order is another's with a pair swapped: finish it as it comes, uncounted
            # and with no choice left to explore.
            self.redundant = True
            return waiting[0]
        return worth[self.choose(len(worth))]

    def _swapped_pair(self, name: str) -> bool:
        """Whether ``name``'s step would follow a later worker's step it commutes with: the
        order with the two swapped is the same run, and is taken instead."""
        if self.last is None:
            return False
        last_worker, last_label = self.last
        return self.names.index(name) < last_worker and independent(self.label[name], last_label)

    def __str__(self) -> str:
        return " → ".join(self.trace) or "(no step)"


class Worker:
    """A thread that runs one operation per run, stopping before each step."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tasks: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        _local.name = self.name
        try:
            while (task := self.tasks.get()) is not None:
                scheduler, operation, results = task
                _local.scheduler = scheduler
                try:
                    with connection.execute_wrapper(_pause_before_statement):
                        results[self.name] = operation()
                except BaseException as exc:  # noqa: BLE001 - reported by the run
                    results[self.name] = exc
                finally:
                    _local.scheduler = None
                    scheduler.finished(self.name)
        finally:
            connection.close()

    def stop(self) -> None:
        self.tasks.put(None)
        self.thread.join(STEP_SECONDS)


def _pause(label: str) -> None:
    scheduler = getattr(_local, "scheduler", None)
    if scheduler is not None:
        scheduler.pause(_local.name, label)


def _pause_before_statement(execute, sql, params, many, context):
    """Each statement outside a transaction is a step, and so is each transaction, paused
    before it begins: a worker stopped inside one would hold its locks (SQLite's BEGIN
    IMMEDIATE) and stop the other one's next write. So a BEGIN is held back and sent with
    the transaction's first statement, which names the step."""
    if BEGIN.match(sql):
        _local.begin = (sql, params, many, context)
        return None
    begin, _local.begin = getattr(_local, "begin", None), None
    if not connection.in_atomic_block:  # that transaction ended without a statement
        begin = None
    if begin is not None or not (TRANSACTION_CONTROL.match(sql) or connection.in_atomic_block):
        table = TABLE.search(sql)
        _pause(f"{sql.split()[0]} {table.group(1) if table else '?'}")
    if begin is not None:
        execute(*begin)
    return execute(sql, params, many, context)


@contextlib.contextmanager
def memcached_steps() -> Iterator[None]:
    """Make every call a worker makes to the sessions cluster a step (label "gets <key>")."""
    original = cluster.MemcachedCluster._call

    def call(self, operation, *args):
        key = args[0].decode() if isinstance(args[0], bytes) else args[0]
        _pause(f"{operation} {key}")
        return original(self, operation, *args)

    cluster.MemcachedCluster._call = call
    try:
        yield
    finally:
        cluster.MemcachedCluster._call = original


@contextlib.contextmanager
def cache_steps(alias: str, operations: tuple[str, ...] = ("get", "incr", "add")) -> Iterator[None]:
    """Make each of these calls a worker makes to the Django cache ``alias`` a step (label
    "incr <key>"), for what counts in the objects cache (the feeds' poll budget)."""
    backend = type(caches[alias])
    originals = {name: getattr(backend, name) for name in operations}

    def stepping(name, original):
        def call(self, key, *args, **kwargs):
            _pause(f"{name} {key}")
            return original(self, key, *args, **kwargs)

        return call

    for name, original in originals.items():
        setattr(backend, name, stepping(name, original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(backend, name, original)


def every_interleaving(operations, *, setup, check, steps) -> int:
    """Run ``operations`` (``{name: make_operation}``) in every order of their steps.

    Before each run, ``setup()`` returns the run's state, and ``make_operation(state)`` the
    callable each worker runs; after it, ``check(state, results, order)`` asserts, where
    ``results[name]`` is what the operation returned or raised. Return the number of runs.
    """
    names = list(operations)
    workers = [Worker(name) for name in names]
    runs, prefix = 0, []
    try:
        with memcached_steps():
            while True:
                decisions: list[tuple[int, int]] = []  # (chosen, of how many) at each turn

                def choose(options, decisions=decisions, prefix=prefix):
                    turn = len(decisions)
                    chosen = prefix[turn] if turn < len(prefix) else 0
                    decisions.append((chosen, options))
                    return chosen

                state = setup()
                scheduler, results = Scheduler(names, choose, steps), {}
                for worker in workers:
                    worker.tasks.put((scheduler, operations[worker.name](state), results))
                scheduler.run()
                if not scheduler.redundant:
                    runs += 1
                    check(state, results, str(scheduler))
                # The next order: the last turn that had an option not yet taken, takes it.
                while decisions and decisions[-1][0] == decisions[-1][1] - 1:
                    decisions.pop()
                if not decisions:
                    return runs
                prefix = [chosen for chosen, _ in decisions[:-1]] + [decisions[-1][0] + 1]
    finally:
        for worker in workers:
            worker.stop()

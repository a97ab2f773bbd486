"""How many gunicorn workers a process starts when WEB_CONCURRENCY is not set: two per CPU it
may use, plus one (gunicorn's advice), counting the CPUs of its cgroup's quota.

``os.cpu_count()`` counts the machine's CPUs whatever the container may use: a pod limited to
one CPU on a 32-core node would start 65 workers and be killed for memory as they boot. The
quota is cgroup v2's ``cpu.max`` ("max" or "<quota> <period>" in microseconds) of the
process's cgroup and of each cgroup above it: the smallest wins. Without cgroup v2 (macOS, an
old host), the CPUs the process may run on.
"""

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def default_workers(cgroup_root=CGROUP_ROOT, proc_self_cgroup=PROC_SELF_CGROUP):
    """Two per CPU of the quota (a fraction counts as one), plus one."""
    return 2 * math.ceil(cpu_limit(cgroup_root, proc_self_cgroup)) + 1


def cpu_limit(cgroup_root=CGROUP_ROOT, proc_self_cgroup=PROC_SELF_CGROUP):
    """The CPUs this process may use: its cgroup's quota if it has one, at most the CPUs it
    may run on."""
    cpus = schedulable_cpus()
    quota = cgroup_quota(cgroup_root, proc_self_cgroup)
    return cpus if quota is None else min(cpus, quota)


def schedulable_cpus():
    if hasattr(os, "sched_getaffinity"):  # Linux: the CPUs this process may be scheduled on
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cgroup_quota(cgroup_root, proc_self_cgroup):
    """The smallest ``cpu.max`` quota, in CPUs, from the process's cgroup up; None if none."""
    quotas = [quota for directory in _cgroup_and_parents(cgroup_root, proc_self_cgroup)
              if (quota := _cpu_max(directory / "cpu.max")) is not None]  # fmt: skip
    return min(quotas, default=None)


def _cgroup_and_parents(cgroup_root, proc_self_cgroup):
    """The process's cgroup v2 directory and each one above it, up to the root.

    In a container with its own cgroup namespace (Docker's and Kubernetes' default on cgroup
    v2), the process's cgroup is "/": the container's limits are the root's files."""
    try:
        lines = proc_self_cgroup.read_text().splitlines()
    except OSError:
        return []
    # cgroup v2 is the one line "0::<path>"; v1 lines name their controllers.
    paths = [line[3:] for line in lines if line.startswith("0::")]
    if not paths:
        return []
    directory = cgroup_root / paths[0].strip("/")
    return [directory, *(p for p in directory.parents if p.is_relative_to(cgroup_root))]


def _cpu_max(path):
    try:
        quota, period = path.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    try:
        return int(quota) / int(period)
    except (ValueError, ZeroDivisionError):
        return None

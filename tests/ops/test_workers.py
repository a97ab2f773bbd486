"""ops.workers: gunicorn's default worker count from a cgroup's CPU quota, fed fake cgroup
trees as a container, a pod inside a node's hierarchy and a bare machine show them."""

import os

import pytest

from ops.workers import cpu_limit, default_workers

HOST_CPUS = len(os.sched_getaffinity(0))


def cgroup(tmp_path, path="/", **cpu_max):
    """A cgroup v2 tree under tmp_path: ``cpu_max`` maps directories ("" is the root) to the
    contents of their cpu.max; the process is in ``path``."""
    root = tmp_path / "sys-fs-cgroup"
    for directory, contents in {"": None, **cpu_max}.items():
        (root / directory).mkdir(parents=True, exist_ok=True)
        if contents is not None:
            (root / directory / "cpu.max").write_text(contents + "\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(f"0::{path}\n")
    return root, proc


@pytest.mark.parametrize(
    ("contents", "cpus", "workers"),
    [
        ("100000 100000", 1, 3),  # the manifests' limit, cpu: "1"
        ("50000 100000", 0.5, 3),  # half a CPU still counts as one
        ("25000 50000", 0.5, 3),  # another period, the same quota
    ],
)
def test_a_containers_quota_sets_the_workers(tmp_path, contents, cpus, workers):
    root, proc = cgroup(tmp_path, **{"": contents})
    assert cpu_limit(root, proc) == cpus
    assert default_workers(root, proc) == workers


def test_a_quota_above_the_cpus_the_process_may_use_counts_those(tmp_path):
    root, proc = cgroup(tmp_path, **{"": f"{(HOST_CPUS + 8) * 100000} 100000"})
    assert cpu_limit(root, proc) == HOST_CPUS
    assert default_workers(root, proc) == 2 * HOST_CPUS + 1


def test_no_quota_counts_the_cpus_the_process_may_use(tmp_path):
    root, proc = cgroup(tmp_path, **{"": "max 100000"})
    assert cpu_limit(root, proc) == HOST_CPUS
    assert default_workers(root, proc) == 2 * HOST_CPUS + 1


def test_the_smallest_quota_from_the_processs_cgroup_up_wins(tmp_path):
    # A pod's limit on its own cgroup, the container's unlimited below it (no cgroup namespace).
    root, proc = cgroup(
        tmp_path,
        "/kubepods.slice/pod1/container1",
        **{"kubepods.slice/pod1": "100000 100000", "kubepods.slice/pod1/container1": "max 100000"},
    )
    assert cpu_limit(root, proc) == 1
    assert default_workers(root, proc) == 3


@pytest.mark.parametrize(
    "proc_self_cgroup",
    [
        None,  # no /proc (macOS)
        "4:memory:/box\n1:cpu:/\n",  # cgroup v1 only
    ],
)
def test_without_cgroup_v2_the_cpus_the_process_may_use(tmp_path, proc_self_cgroup):
    root, proc = cgroup(tmp_path, **{"": "100000 100000"})
    if proc_self_cgroup is None:
        proc.unlink()
    else:
        proc.write_text(proc_self_cgroup)
    assert cpu_limit(root, proc) == HOST_CPUS


@pytest.mark.parametrize("contents", ["", "garbage", "100000 0"])
def test_an_unreadable_cpu_max_is_no_quota(tmp_path, contents):
    root, proc = cgroup(tmp_path, **{"": contents})
    assert cpu_limit(root, proc) == HOST_CPUS

import json
from io import StringIO

from django.conf import settings
from django.core.management import call_command


def run(*args):
    out = StringIO()
    call_command("memcached_stats", *args, stdout=out)
    return out.getvalue()


def test_prints_a_row_per_node_of_each_cluster(memcached_objects, memcached_sessions):
    lines = run().splitlines()
    assert lines[0].split() == [
        "cluster",
        "alias",
        "node",
        "state",
        "items",
        "used",
        "limit",
        "evictions",
        "hits",
        "uptime",
    ]
    objects, sessions = lines[1].split(), lines[2].split()
    assert objects[:4] == ["objects", "default", memcached_objects.address, "up"]
    alias = settings.SESSION_CACHE_ALIAS
    assert sessions[:4] == ["sessions", alias, memcached_sessions.address, "up"]
    # items, then used and limit ("16.0 MB": the suite's daemons run with -m 16).
    assert objects[4].isdigit()
    assert objects[7:9] == ["16.0", "MB"]


def test_marks_a_dead_node(stop_cluster):
    dead = stop_cluster(settings.SESSION_CACHE_ALIAS)
    [row] = [line for line in run().splitlines() if dead in line]
    assert row.split()[3:] == ["DOWN", "-", "-", "-", "-", "-", "-"]


def test_json_for_machines(memcached_sessions):
    clusters = json.loads(run("--json"))
    sessions = next(c for c in clusters if c["alias"] == settings.SESSION_CACHE_ALIAS)
    assert sessions["cluster"] == "sessions"
    [node] = sessions["nodes"]
    assert node["server"] == memcached_sessions.address
    assert node["up"] is True
    assert {"items", "bytes", "limit_bytes", "evictions", "hit_ratio", "uptime_seconds"} <= set(
        node
    )

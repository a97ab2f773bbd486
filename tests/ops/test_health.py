import time

import pytest
from django.test.utils import override_settings

from ops.health import READY_SECONDS
from tests.support.daemons import TricklingNode


@pytest.fixture(autouse=True)
def no_answer_yet(monkeypatch):
    """Each test probes afresh: /readyz answers from its last probe for a second, and another
    module's test (say /metrics, without the database) may have been the last to ask."""
    from ops import health

    monkeypatch.setattr(health._LastAnswer, "at", None)


@pytest.fixture
def objects_down(stop_cluster):
    return stop_cluster("default")


@pytest.fixture
def sessions_down(stop_cluster):
    return stop_cluster("sessions")


def test_healthz_touches_neither_database_nor_cache(client, objects_down, sessions_down):
    # Without the django_db mark any query would raise; both clusters are down.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_names_database_and_every_node_of_both_clusters(
    client, memcached_objects, memcached_sessions
):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ready",
        "database": {"default": "up"},
        "caches": {
            "default": {"cluster": "objects", "nodes": {memcached_objects.address: "up"}},
            "sessions": {"cluster": "sessions", "nodes": {memcached_sessions.address: "up"}},
        },
        "down": [],
    }


@pytest.fixture
def database_down(monkeypatch, tmp_path):
    """The default database unreachable for every connection opened from now on (the probe's
    thread opens its own): SQLite cannot open a file in a directory that does not exist."""
    from django.db import connections

    from ops import health

    monkeypatch.setitem(connections["default"].settings_dict, "NAME", str(tmp_path / "gone" / "db"))
    monkeypatch.setattr(health._LastAnswer, "at", None)  # no answer from before it went
    return "default"


@pytest.mark.django_db
def test_readyz_answers_200_degraded_naming_the_objects_node_that_is_down(client, objects_down):
    # Every replica shares the node, so a 503 here
    # took every replica out of the Service at once, though the site serves through it.
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"default": "up"}
    assert body["caches"]["default"]["nodes"] == {objects_down: "down"}
    assert body["caches"]["sessions"]["nodes"] == dict.fromkeys(
        body["caches"]["sessions"]["nodes"], "up"
    )
    assert body["down"] == [f"cache default (objects cluster) node {objects_down}"]


@pytest.mark.django_db
def test_readyz_answers_200_degraded_with_both_clusters_down(client, objects_down, sessions_down):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert len(response.json()["down"]) == 2


@pytest.mark.django_db
def test_readyz_reports_each_node_of_a_cluster(client, memcached, test_caches):
    alive, dead = memcached(), memcached()
    dead.stop()
    cluster = {**test_caches["sessions"], "LOCATION": [alive.address, dead.address]}
    with override_settings(CACHES={**test_caches, "sessions": cluster}):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["caches"]["sessions"] == {
        "cluster": "sessions",
        "nodes": {alive.address: "up", dead.address: "down"},
    }
    assert response.json()["down"] == [f"cache sessions (sessions cluster) node {dead.address}"]


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_down_and_does_not_log_it(
    client, database_down, objects_down, caplog
):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"default": "down"}
    assert body["down"] == [
        "database default",
        f"cache default (objects cluster) node {objects_down}",
    ]
    # Polled every few seconds, a probe's 503 would bury real errors at ERROR.
    assert [r for r in caplog.records if r.name == "django.request"] == []


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["www.example.com"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_by_ip_over_plain_http(client):
    # Orchestrators probe the container's address over HTTP; pages would answer 400 or 301.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200, path


@pytest.fixture
def trickling_node():
    with TricklingNode() as node:
        yield node


@pytest.mark.django_db
def test_readyz_answers_within_a_second_whatever_the_nodes_do(
    client, memcached, test_caches, trickling_node
):
    alive, dead = memcached(), memcached()
    dead.stop()
    nodes = [alive.address, dead.address, trickling_node.address]
    clusters = {
        **test_caches,
        "default": {**test_caches["default"], "LOCATION": nodes},
        "sessions": {**test_caches["sessions"], "LOCATION": [trickling_node.address]},
    }
    with override_settings(CACHES=clusters):
        started = time.monotonic()
        response = client.get("/readyz")
        took = time.monotonic() - started
    assert took < READY_SECONDS + 0.5
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    body = response.json()
    assert body["database"] == {"default": "up"}
    assert body["caches"]["default"]["nodes"] == {
        alive.address: "up",
        dead.address: "down",
        trickling_node.address: "down",
    }
    assert body["caches"]["sessions"]["nodes"] == {trickling_node.address: "down"}


# SECURITY.md, third review, #5: the probes and /metrics were answered for any
# spelling that decodes to their path, which an edge proxy matching raw paths lets through.

SPELLINGS = {"/healthz": "/%68ealthz", "/readyz": "/%72eadyz", "/metrics": "/%6detrics"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", SPELLINGS)
def test_the_probes_answer_only_their_exact_raw_path(client, path):
    # gunicorn gives the request target as sent in RAW_URI; PATH_INFO is decoded.
    assert client.get(path, RAW_URI=path).status_code == 200
    escaped = client.get(path, RAW_URI=SPELLINGS[path])
    assert escaped.status_code == 404  # an ordinary request: the site has no such page
    assert b"<h1>Not found</h1>" in escaped.content


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_from_its_last_probe_for_a_second(client, monkeypatch):
    from django.db.backends.signals import connection_created

    from ops import health

    opened = []
    connection_created.connect(receiver := lambda **kwargs: opened.append(1))
    try:
        health._LastAnswer.at = None
        assert client.get("/readyz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert len(opened) == 1  # the probe's thread opens one; the second call, none
        monkeypatch.setattr(health, "READY_CACHE_SECONDS", 0.1)
        time.sleep(0.15)
        assert client.get("/readyz").status_code == 200
        assert len(opened) == 2
    finally:
        connection_created.disconnect(receiver)

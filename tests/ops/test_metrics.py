"""ops.metrics: /metrics, and what it counts, through the test client and real memcached.

The suite runs in one process without PROMETHEUS_MULTIPROC_DIR, so these read this process's
registry; tests/served/test_observability.py scrapes gunicorn's workers summed up."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from prometheus_client import generate_latest

from tests.support import alert_rules
from tests.support.prometheus import Counts, families, sample, scrape
from tests.support.users import PASSWORD

FAMILIES = {
    "site_cache_operations": "counter",
    "site_session_store_failures": "counter",
    "site_basic_auth": "counter",
    "site_request_duration_seconds": "histogram",
    "site_responses": "counter",
    "site_database_up": "gauge",
    "site_cache_node_up": "gauge",
}


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("stella", password=PASSWORD, is_staff=True)


def test_metrics_answers_every_family_in_the_exposition_format(client):
    client.get("/")
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=1.0.0; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    found = families(response)
    assert {name: found[name].type for name in FAMILIES} == FAMILIES
    durations = found["site_request_duration_seconds"].samples
    assert any(
        s.name == "site_request_duration_seconds_bucket" and s.labels["view"] == "home"
        for s in durations
    )


def test_metrics_is_answered_before_host_checks_and_the_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["www.example.com"]
    response = scrape(HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert "# TYPE site_responses_total counter" in response.text
    # Any other page meets both.
    assert Client().get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "Basic c2NyYXBlcjp0b2tlbg==", "Bearer", "Bearer t\u00e9", ""],
)
def test_with_a_token_metrics_refuses_any_other_credentials(settings, authorization):
    settings.OPS_METRICS_TOKEN = "the-metrics-token-0123456789"
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = scrape(**headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert response.content == b"A bearer token is required.\n"
    assert "site_" not in response.text


def test_with_a_token_metrics_answers_its_bearer(settings):
    settings.OPS_METRICS_TOKEN = "the-metrics-token-0123456789"
    response = scrape(HTTP_AUTHORIZATION="Bearer the-metrics-token-0123456789")
    assert response.status_code == 200
    assert "site_cache_operations" in families(response)


def test_requests_are_timed_and_counted_by_view_name(client):
    counts = Counts(
        ("site_request_duration_seconds_count", {"view": "home"}),
        ("site_responses_total", {"view": "home", "status": "200"}),
        ("site_responses_total", {"view": "unresolved", "status": "404"}),
        ("site_responses_total", {"view": "status", "status": "302"}),
    )
    client.get("/")
    client.get("/")
    client.get("/no/such/page/")
    client.get("/status/")  # to the sign-in page
    assert counts.added() == [2, 2, 1, 1]
    assert sample("site_request_duration_seconds_sum", view="home") > 0


def test_objects_cache_lookups_count_hits_misses_and_errors(stop_cluster):
    cache = caches["default"]
    counts = Counts(
        *(("site_cache_operations_total", {"cluster": "objects", "result": result})
          for result in ("hit", "miss", "error"))
    )  # fmt: skip
    cache.set("here", 1)
    cache.set("there", 2)
    assert cache.get("here") == 1
    assert cache.get("nowhere", "default") == "default"
    assert cache.get_many(["here", "there", "nowhere"]) == {"here": 1, "there": 2}
    assert counts.added() == [3, 2, 0]
    stop_cluster("default")
    assert caches["default"].get("here") is None
    caches["default"].set("here", 1)
    assert counts.added() == [3, 2, 2]


def test_sessions_cluster_lookups_and_store_failures_are_counted(alice, stop_cluster, settings):
    browser = Client()
    browser.force_login(alice)
    counts = Counts(
        ("site_cache_operations_total", {"cluster": "sessions", "result": "hit"}),
        ("site_cache_operations_total", {"cluster": "sessions", "result": "error"}),
        ("site_session_store_failures_total", {"operation": "load"}),
        ("site_session_store_failures_total", {"operation": "write"}),
    )
    assert browser.get("/account/").status_code == 200
    assert counts.added()[0] >= 1
    stop_cluster(settings.SESSION_CACHE_ALIAS)
    browser.get("/account/")  # the load fails: signed out for this request
    answer = Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert answer.status_code == 503
    _hits, errors, loads, writes = counts.added()
    assert (loads, writes) == (1, 1)
    assert errors >= 2


@pytest.mark.django_db
def test_each_database_and_cache_node_is_exported_up_or_down(
    stop_cluster, memcached_sessions, settings
):
    """/readyz stays 200 while a node is away (ops.health): the gauges are where alerts see it."""
    dead = stop_cluster("default")
    found = families(scrape())
    assert [(s.labels, s.value) for s in found["site_database_up"].samples] == [
        ({"alias": "default"}, 1.0)
    ]
    nodes = {(s.labels["cluster"], s.labels["node"]): s.value
             for s in found["site_cache_node_up"].samples}  # fmt: skip
    assert nodes == {("objects", dead): 0.0, ("sessions", memcached_sessions.address): 1.0}


def test_status_shows_staff_the_sites_counters(staff):
    browser = Client()
    browser.force_login(staff)
    html = browser.get("/status/").content.decode()
    refused = int(sample("site_basic_auth_total", result="refused"))
    assert "Since the site started, all processes" in html
    assert f"<tr><td>refused</td><td>{refused}</td></tr>" in html
    hits = int(sample("site_cache_operations_total", cluster="sessions", result="hit"))
    assert "<caption>Cache lookups</caption>" in html
    assert "<tr><td>sessions</td><td>" in html
    assert hits >= 1


def test_status_shows_members_no_counters(alice):
    browser = Client()
    browser.force_login(alice)
    html = browser.get("/status/").content.decode()
    assert "The sessions cluster" in html
    assert "Since the site started" not in html


def test_every_alert_rule_parses_and_names_series_the_site_exposes(client):
    """deploy/prometheus/alerts.yml, as docs/operations.md offers it."""
    client.get("/")  # one page: the histogram's series
    exposed = [sample for family in families(scrape(client)).values() for sample in family.samples]
    for rule in alert_rules.rules():
        found = alert_rules.selectors(rule["expr"])  # ValueError on what Prometheus refuses
        assert found, rule["alert"]
        for name, matchers in found:
            assert alert_rules.selects(exposed, name, matchers), (rule["alert"], name, matchers)
    assert {rule["alert"] for rule in alert_rules.rules()} >= {
        "SessionStoreFailing",
        "ObjectCacheHitRatioFalling",
        "LockoutsRising",
        "ServerErrors",
    }


def test_every_known_label_set_is_exported_before_its_first_count(client):
    """a family appeared with its first event, too late for increase()."""
    exposed = {
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in families(scrape(client)).values()
        for sample in family.samples
    }
    known = [
        *(
            ("site_cache_operations_total", {"cluster": cluster, "result": result})
            for cluster in ("objects", "sessions")
            for result in ("hit", "miss", "error")
        ),
        *(("site_session_store_failures_total", {"operation": op}) for op in ("load", "write")),
        *(
            ("site_basic_auth_total", {"result": result})
            for result in ("cached", "verified", "refused", "locked_out")
        ),
        ("site_responses_total", {"view": "home", "status": "500"}),
        ("site_responses_total", {"view": "admin:index", "status": "503"}),
        ("site_responses_total", {"view": "unresolved", "status": "500"}),
    ]
    missing = [
        (name, labels)
        for name, labels in known
        if (name, tuple(sorted(labels.items()))) not in exposed
    ]
    assert missing == []


def test_a_file_a_worker_is_still_making_is_left_out_of_the_scrape(monkeypatch, tmp_path):
    """A worker's file exists empty for an instant as it boots: read then, the whole scrape
    answered 500 (seen in CI on the first scrape of a fresh gunicorn)."""
    from prometheus_client import Counter as PrometheusCounter
    from prometheus_client import values

    from ops.metrics import registry

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 123))
    counted = PrometheusCounter("booted", "A counter of a worker that has booted.", registry=None)
    counted.inc(3)
    (tmp_path / "counter_456.db").touch()  # a worker that has only opened its file
    exposition = generate_latest(registry()).decode()
    assert "booted_total 3.0" in exposition

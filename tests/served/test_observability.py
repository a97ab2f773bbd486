"""Operations through gunicorn: metrics summed over its workers, JSON log lines with
request ids end to end, no secret in any log line or error report.

One site with three workers, LOG_FORMAT=json, a METRICS_TOKEN, SENTRY_DSN pointing at an
HTTP server of the test's own, and 127.0.0.1 as its trusted proxy, so that the tests may
play the proxy that gives each request its id."""

import base64
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support import alert_rules, escapes
from tests.support.daemons import SentryServer
from tests.support.sites import DEMO_PASSWORD, get, raw_get, start_site
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow

WORKERS = 3
METRICS_TOKEN = "metrics-token-for-the-observability-tests-0123456789"


@pytest.fixture(scope="module")
def sentry():
    with SentryServer() as server:
        yield server


@pytest.fixture(scope="module")
def site(site_objects, site_sessions, tmp_path_factory, collected_static, sentry):
    server = start_site(
        tmp_path_factory.mktemp("observability"),
        site_objects,
        site_sessions,
        DJANGO_SETTINGS_MODULE="tests.settings.observability",
        WEB_CONCURRENCY=str(WORKERS),
        LOG_FORMAT="json",
        METRICS_TOKEN=METRICS_TOKEN,
        SENTRY_DSN=sentry.dsn,
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        # 60 polls of the public feed at once from one address: the metrics are under test
        # here, not the poll budget (tests/served/test_polling.py).
        DJANGO_FEEDS_POLL_BUDGET="off",
    )
    yield server
    server.stop()


def scrape(site):
    response = get(site, "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def json_lines(site, since=0):
    return [json.loads(line) for line in site.log()[since:].splitlines() if line.strip()]


def lines_of(site, request_id, at_least, since=0):
    """The JSON lines carrying ``request_id``, waiting for ``at_least`` (the access line is
    written after the response)."""
    site.log_lines(re.escape(f'"request_id": "{request_id}"'), since=since, at_least=at_least)
    return [line for line in json_lines(site, since) if line.get("request_id") == request_id]


def test_metrics_totals_add_up_across_workers(site):
    batch, requests_sent, workers = 60, 0, set()
    before = scrape(site)
    # Which worker answers is the kernel's choice: batches until two have (at most ten).
    while len(workers) < 2 and requests_sent < 10 * batch:
        since = len(site.log())
        with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
            answers = list(pool.map(lambda _: get(site, "/feeds/latest.rss"), range(batch)))
        requests_sent += batch
        assert [answer.status_code for answer in answers] == [200] * batch
        # Which worker answered each: its access line says, found by the request's id.
        ids = {answer.headers["X-Request-ID"] for answer in answers}
        site.log_lines('"logger": "gunicorn.access"', since=since, at_least=batch)
        workers |= {
            line["pid"]
            for line in json_lines(site, since)
            if line["logger"] == "gunicorn.access" and line["request_id"] in ids
        }
    assert len(workers) >= 2, "the requests should have been spread over the workers"
    after = scrape(site)  # answered by one worker, counting for all
    feed = {"feed": "latest", "auth": "public", "status": "200"}
    assert (
        value(after, "site_feed_responses_total", **feed)
        - value(before, "site_feed_responses_total", **feed)
        == requests_sent
    )
    view = {"view": "feed-latest-rss"}
    assert (
        value(after, "site_request_duration_seconds_count", **view)
        - value(before, "site_request_duration_seconds_count", **view)
        == requests_sent
    )
    hits = {"cluster": "objects", "result": "hit"}
    assert (
        value(after, "site_cache_operations_total", **hits)
        - value(before, "site_cache_operations_total", **hits)
        >= requests_sent - WORKERS * 2
    )  # a few first renderings may race to the cache


def test_metrics_needs_the_token(site):
    refused = get(site, "/metrics")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "site_" not in refused.text


def test_every_line_is_json_and_a_request_keeps_the_proxys_id(site):
    since = len(site.log())
    response = get(site, "/feeds/members.rss", headers={"X-Request-ID": "proxy-given-id-42"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "proxy-given-id-42"
    lines = lines_of(site, "proxy-given-id-42", at_least=2, since=since)
    assert {line["logger"]: line["message"] for line in lines} == {
        "django.request": "Unauthorized: /feeds/members.rss",
        "gunicorn.access": "GET /feeds/members.rss 401",
    }
    access = next(line for line in lines if line["logger"] == "gunicorn.access")
    assert access["http"]["status"] == 401
    assert access["http"]["path"] == "/feeds/members.rss"
    assert access["http"]["remote_addr"] == "127.0.0.1"
    # The whole log, gunicorn's own lines since it started included, is JSON lines.
    every = json_lines(site)
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= {
        line["logger"] for line in every
    }
    assert any(line["message"].startswith("Booting worker with pid") for line in every)


def test_a_request_without_an_id_gets_a_new_one_on_all_its_lines(site):
    since = len(site.log())
    response = get(site, "/no/such/page/")
    assert response.status_code == 404
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = lines_of(site, request_id, at_least=2, since=since)
    assert [line["logger"] for line in lines] == ["django.request", "gunicorn.access"]


SECRETS_OF_ALICE = """
from django.contrib.auth import get_user_model
from feeds.models import SecretAddress
from httpauth.models import AppPassword
alice = get_user_model().objects.get(username="alice")
print(SecretAddress.issue(alice, "members", "log test")[1])
print(AppPassword.issue(alice, "log test")[1])
"""


def test_no_secret_reaches_a_log_line_or_an_error_report(site, sentry):
    since = len(site.log())
    secret, app_password = site.manage(
        "shell", "--no-imports", "-c", SECRETS_OF_ALICE
    ).stdout.split()
    address = f"{site.url}/feeds/s/{secret}/members.rss"
    wrong_password = "not-alices-password-but-close"
    browser, signed_in = site.sign_in("alice", DEMO_PASSWORD)
    assert signed_in.status_code == 302
    failed = site.sign_in("alice", wrong_password)[1]
    assert failed.status_code == 200
    assert get(site, "/feeds/members.rss", auth=("alice", DEMO_PASSWORD)).status_code == 200
    assert get(site, "/feeds/members.rss", auth=("alice", wrong_password)).status_code == 401
    assert get(site, "/feeds/members.rss", auth=("alice", app_password)).status_code == 200
    assert requests.get(address, timeout=10).status_code == 200
    assert requests.get(address.replace(secret, secret[:-2] + "xy"), timeout=10).status_code == 404
    assert get(site, "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).ok
    # A view fails with the secret address in its path and the credentials in its message.
    basic = "Basic " + base64.b64encode(f"alice:{DEMO_PASSWORD}".encode()).decode()
    failing = browser.get(
        f"{site.url}/fail/{secret}/",
        headers={"Authorization": basic, "X-Request-ID": "failing-request-7"},
        timeout=10,
    )
    assert failing.status_code == 500
    [event] = [e for e in sentry.wait_for() if e["tags"].get("request_id") == "failing-request-7"]
    lines = lines_of(site, "failing-request-7", at_least=2, since=since)

    # The failure is reported, and logged, as it happened...
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "failed on /fail/feed_[redacted]/ for Basic [redacted]"
    assert event["request"]["url"].endswith("/fail/feed_[redacted]/")
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["message"] == "Internal Server Error: /fail/feed_[redacted]/"
    assert (
        "RuntimeError: failed on /fail/feed_[redacted]/ for Basic [redacted]" in (error["exc_info"])
    )
    # ...and not one secret is in a log line or a report.
    secrets = {
        "the account password": DEMO_PASSWORD,
        "a wrong password": wrong_password,
        "an app password": app_password,
        "the secret feed address": secret,
        "its secret's middle": secret[8:30],
        "a Basic header": basic.split()[1],
        "the metrics token": METRICS_TOKEN,
        "the session cookie": browser.cookies["sessionid"],
    }
    log = site.log()[since:]
    reports = "\n".join(body.decode(errors="replace") for *_, body in sentry.received)
    assert [name for name, value in secrets.items() if value in log] == []
    assert [name for name, value in secrets.items() if value in reports] == []


def test_escaped_reset_links_and_secrets_never_reach_a_json_line(site):
    """SECURITY.md, third review, #8, in the JSON log: gunicorn writes the
    decoded path there, and escapes escaped again, or a query string, as sent."""
    since = len(site.log())
    secret, _app_password = site.manage(
        "shell", "--no-imports", "-c", SECRETS_OF_ALICE
    ).stdout.split()
    path, reset = f"/feeds/s/{secret}/members.rss", escapes.reset_path(site)
    forms = escapes.spellings(path, reset)
    assert {form: raw_get(site, form) for form in forms} == forms
    lines = site.log_lines(
        r'(?m)^\{.*"status": (?:200|302|404).*$', since=since, at_least=len(forms)
    )
    assert all(json.loads(line) for line in lines)
    log = site.log()[since:]
    assert [leaked for leaked in escapes.fragments(path, reset) if leaked in log] == []


def test_a_disallowed_host_is_logged_but_never_reported(site, sentry):
    """SECURITY.md, second review, #8: each forged Host used to cost one Sentry event."""
    since = len(site.log())
    for n in range(3):
        forged = get(site, "/feeds/", headers={"Host": f"forged-{n}.example"})
        assert forged.status_code == 400
    failing = get(site, "/fail/nothing/", headers={"X-Request-ID": "failing-after-hosts"})
    assert failing.status_code == 500
    # Events leave in order: once the failure's is in, a Host's would be too.
    [event] = wait_for(
        lambda: [
            e for e in sentry.events() if e["tags"].get("request_id") == "failing-after-hosts"
        ],
        what="the failure's event",
    )
    assert event["exception"]["values"][0]["type"] == "RuntimeError"
    assert [e for e in sentry.events() if "forged-" in json.dumps(e)] == []
    logged = site.log_lines(r'"logger": "django.security.DisallowedHost"', since=since, at_least=3)
    assert len(logged) == 3


def test_a_fresh_site_exports_every_alerts_counters_at_zero(
    site_objects, site_sessions, tmp_path, collected_static
):
    """the first failures of a new process must move increase()."""
    fresh = start_site(
        tmp_path,
        site_objects,
        site_sessions,
        WEB_CONCURRENCY=str(WORKERS),
        METRICS_TOKEN=METRICS_TOKEN,
    )
    try:
        before = samples_of(fresh)  # before any request but the scrapes
        assert value(scrape(fresh), "site_session_store_failures_total", operation="load") == 0
        for rule in alert_rules.rules():
            for name, matchers in alert_rules.selectors(rule["expr"]):
                if name.startswith("site_request_duration"):
                    continue  # latency: a histogram, whose series come with the first page
                assert alert_rules.selects(before, name, matchers), (rule["alert"], name)
                # Counters at 0; the gauges of the database and the nodes at 1 (all up).
                expected = {0} if name.endswith("_total") else {1}
                values = {s.value for s in before if s.name == name}
                assert values == expected, (rule["alert"], name)
        assert get(fresh, "/").status_code == 200
        after = samples_of(fresh)
        for rule in alert_rules.rules():
            for name, matchers in alert_rules.selectors(rule["expr"]):
                assert alert_rules.selects(after, name, matchers), (rule["alert"], name)
    finally:
        fresh.stop()


def samples_of(site):
    response = get(site, "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    return [
        sample
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    ]

"""httpauth.lockout_handler: django-axes' failure count, as one statement, equal to axes'."""

from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpauth.lockout_handler import LockoutHandler
from tests.httpauth.lockout_cases import (
    ADDRESSES,
    AGENTS,
    AGES,
    CASES,
    COOL_OFFS,
    PARAMETERS,
    USERNAMES,
    asking,
    both_counts,
    compare_everywhere,
    record,
)
from tests.support.users import PASSWORD, basic

pytestmark = pytest.mark.django_db


def test_the_site_and_the_minimal_settings_name_it():
    assert isinstance(AxesProxyHandler.get_implementation(force=True), LockoutHandler)


def test_it_counts_the_clients_failures_within_the_cool_off():
    now = timezone.now()
    record(
        {
            ("alice", "203.0.113.1", "Reader/1.0"): (timedelta(minutes=1), 3),
            ("alice", "203.0.113.1", "Browser/2.0"): (timedelta(minutes=15), 2),  # on the edge
            ("alice", "203.0.113.1", ""): (timedelta(minutes=16), 40),  # past the cool-off
            ("alice", "203.0.113.2", "Reader/1.0"): (timedelta(0), 7),  # another address
            ("bob", "203.0.113.1", "Reader/1.0"): (timedelta(0), 9),  # another username
            ("Alice", "203.0.113.1", "Reader/1.0"): (timedelta(0), 11),  # names are exact
        },
        now,
    )
    request, credentials = asking("alice", "203.0.113.1", "Reader/1.0", now)
    assert LockoutHandler().get_failures(request, credentials) == 5
    assert both_counts(request, credentials, [["username", "ip_address"]], None) == (45, 45)
    # Either parameter alone: the most failures, the address's (alice's are 52).
    assert both_counts(request, credentials, ["username", "ip_address"], None) == (65, 65)


def test_no_attempt_on_record_is_no_failure():
    now = timezone.now()
    record({}, now)
    request, credentials = asking("alice", "203.0.113.1", "Reader/1.0", now)
    assert LockoutHandler().get_failures(request, credentials) == 0


def test_it_answers_as_axes_for_every_client_and_configuration():
    cases, differences, nonzero = compare_everywhere()
    assert cases == CASES
    assert differences == []
    assert nonzero > cases // 2  # most clients have failures on record: a real comparison


ATTEMPTS = st.dictionaries(
    st.tuples(st.sampled_from(USERNAMES), st.sampled_from(ADDRESSES), st.sampled_from(AGENTS)),
    st.tuples(st.sampled_from(AGES), st.integers(min_value=1, max_value=1000)),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attempts=ATTEMPTS,
    client=st.tuples(
        st.sampled_from(USERNAMES), st.sampled_from(ADDRESSES), st.sampled_from(AGENTS)
    ),
    parameters=st.sampled_from(PARAMETERS),
    cool_off=st.sampled_from(COOL_OFFS),
)
def test_any_record_gets_axes_answer(attempts, client, parameters, cool_off):
    now = timezone.now()
    record(attempts, now)
    request, credentials = asking(*client, now)
    theirs, ours = both_counts(request, credentials, parameters, cool_off)
    assert ours == theirs


def test_a_warm_basic_poll_asks_the_lockout_in_one_plain_query(client, alice):
    assert client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bare/", HTTP_AUTHORIZATION=basic("alice", PASSWORD))
    assert response.status_code == 200
    assert response.content == b"user=alice"
    lockout = [q["sql"] for q in queries.captured_queries if "axes_accessattempt" in q["sql"]]
    assert len(lockout) == 1
    assert lockout[0].startswith('SELECT SUM("failures_since_start") FROM "axes_accessattempt"')

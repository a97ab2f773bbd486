"""Cases that hold httpauth.lockout_handler's failure count equal to django-axes' own.

Shared by tests/httpauth/test_lockout_handler.py (SQLite, in the suite's process) and
tests/served/test_postgres.py (PostgreSQL, through ``manage.py shell``): each case is a set of
attempts on record and a client asking, under one lockout configuration, and both handlers
must answer the same count of failures.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils import timezone

from httpauth.lockout_handler import LockoutHandler

USERNAMES = ["alice", "Alice", "bob", None]
# As httpauth.clients.client_key gives them: an IPv6 client is its /64; no REMOTE_ADDR at all is
# "" (stored as NULL, and matching nothing: as in the ORM).
ADDRESSES = ["203.0.113.1", "203.0.113.2", "2001:db8:1:2::", "", None]
AGENTS = ["Reader/1.0", "Browser/2.0", ""]
PARAMETERS = [
    [["username", "ip_address"]],  # this project's
    ["username"],
    ["ip_address"],
    ["username", "ip_address"],
    [["ip_address", "user_agent"]],
    ["user_agent"],
    [["username", "ip_address", "user_agent"]],
    [[]],  # a combination of nothing: every attempt
]
COOL_OFFS = [timedelta(minutes=15), None, 1]  # 1: an hour, as axes reads an int
# Ages of an attempt, against a cool-off of 15 minutes: inside, on its edge, just past, long past.
AGES = [
    timedelta(0),
    timedelta(minutes=14),
    timedelta(minutes=15),
    timedelta(minutes=15, seconds=1),
    timedelta(hours=2),
]


def record(attempts, now):
    """Replace the attempts on record with ``{(username, address, agent): (age, failures)}``."""
    AccessAttempt.objects.all().delete()
    for (username, address, agent), (age, failures) in attempts.items():
        attempt = AccessAttempt.objects.create(
            username=username,
            ip_address=address,
            user_agent=agent,
            failures_since_start=failures,
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/",
        )
        # attempt_time is auto_now_add: an attempt's age is given afterwards.
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - age)


def asking(username, address, agent, now):
    """A request and its credentials as AxesProxyHandler.update_request leaves them."""
    request = RequestFactory().get("/feeds/members.rss")
    request.axes_attempt_time = now
    request.axes_ip_address = address
    request.axes_user_agent = agent
    return request, None if username is None else {"username": username}


def both_counts(request, credentials, parameters, cool_off):
    """(axes' count, LockoutHandler's count) under one lockout configuration."""
    with override_settings(AXES_LOCKOUT_PARAMETERS=parameters, AXES_COOLOFF_TIME=cool_off):
        return (
            AxesDatabaseHandler().get_failures(request, credentials),
            LockoutHandler().get_failures(request, credentials),
        )


def every_client(now):
    for username in USERNAMES:
        for address in ADDRESSES:
            for agent in AGENTS[:2]:
                yield asking(username, address, agent, now)


def a_record_of_every_kind():
    """One attempt for each username and address, their ages and failures varied, under two
    agents: each client's count differs with every condition."""
    attempts, failures = {}, 1
    for username in USERNAMES:
        for address in ADDRESSES:
            for agent in AGENTS:
                attempts[username, address, agent] = (AGES[failures % len(AGES)], failures)
                failures += 1
    return attempts


#: How many comparisons ``compare_everywhere`` makes.
CASES = len(USERNAMES) * len(ADDRESSES) * 2 * len(PARAMETERS) * len(COOL_OFFS)


def compare_everywhere():
    """Every client under every configuration over a record of every kind: returns
    ``(cases, differences, nonzero)``, the differences as (client, configuration, axes', ours)."""
    now = timezone.now()
    record(a_record_of_every_kind(), now)
    cases, differences, nonzero = 0, [], 0
    for request, credentials in every_client(now):
        for parameters in PARAMETERS:
            for cool_off in COOL_OFFS:
                theirs, ours = both_counts(request, credentials, parameters, cool_off)
                cases += 1
                nonzero += theirs != 0
                if theirs != ours:
                    client = (credentials, request.axes_ip_address, request.axes_user_agent)
                    differences.append((client, parameters, cool_off, theirs, ours))
    return cases, differences, nonzero

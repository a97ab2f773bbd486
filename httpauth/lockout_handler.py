"""django-axes' database handler, with its failure count read by one plain statement.

Every Basic poll asks django-axes whether its client is locked out (httpauth.lockout), and
axes answers with ``get_failures``: the sum of ``failures_since_start`` over the attempts that
match the client's lockout parameters within the cool-off. Its own handler builds and compiles
that as an ORM aggregate on every call, about 0.2 ms, where the SQL takes 0.01 ms: most of what
a warm Basic poll pays beyond a session poll. ``LockoutHandler`` asks the same question with
the same helpers of axes (the username, the lockout parameters, the cool-off threshold) and
only sends its SQL as a statement written once per shape of parameters, with each value
prepared by its model field as the ORM prepares it. Everything else, recording failures,
resets, is axes' own. tests/httpauth/test_lockout_handler.py holds its answer equal to
axes' in every case.

It subclasses axes, so it is imported only where AXES_HANDLER names it:
``AXES_HANDLER = "httpauth.lockout_handler.LockoutHandler"``.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from django.db import connections, router
from django.http import HttpRequest

#: The column the cool-off compares with, as ``get_user_attempts`` filters it.
ATTEMPT_TIME = "attempt_time"


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes has no types
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        parameters = get_client_parameters(
            username,
            request.axes_ip_address,  # type: ignore[attr-defined]
            request.axes_user_agent,  # type: ignore[attr-defined]
            request,
            credentials,
        )
        # As get_user_attempts: no cool-off, every attempt on record counts.
        since = None if settings.AXES_COOLOFF_TIME is None else get_cool_off_threshold(request)
        # As axes: the most failures over the parameters (none configured fails there too).
        return max(failures(matching, since) for matching in parameters)


# One statement per database and shape of parameters: which fields, which of them None.
_statements: dict[tuple[str, tuple[tuple[str, bool], ...], bool], str] = {}


def failures(matching: dict[str, Any], since: Any) -> int:
    """``AccessAttempt.objects.filter(**matching, attempt_time__gte=since)``'s sum of
    ``failures_since_start`` (no ``since``: no time condition), 0 for no attempt."""
    alias = router.db_for_read(AccessAttempt)
    connection = connections[alias]
    shape = (alias, tuple((name, value is None) for name, value in matching.items()), since is None)
    if (statement := _statements.get(shape)) is None:
        statement = _statements[shape] = _statement(connection, shape)
    fields = [(AccessAttempt._meta.get_field(name), value) for name, value in matching.items()]
    if since is not None:
        fields.append((AccessAttempt._meta.get_field(ATTEMPT_TIME), since))
    # As the ORM prepares a lookup's value: the field's Python value, then its database form.
    params = [
        field.get_db_prep_value(value, connection, prepared=False)
        for field, value in fields
        if value is not None
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        (total,) = cursor.fetchone()
    return total or 0


def _statement(connection: Any, shape: tuple[str, tuple[tuple[str, bool], ...], bool]) -> str:
    _alias, matched, no_time = shape
    quote, meta = connection.ops.quote_name, AccessAttempt._meta

    def column(name: str) -> str:
        return str(quote(meta.get_field(name).column))

    # filter(field=None) is IS NULL in the ORM; any other value, equality.
    conditions = [
        f"{column(name)} IS NULL" if is_none else f"{column(name)} = %s"
        for name, is_none in matched
    ]
    if not no_time:
        conditions.append(f"{column(ATTEMPT_TIME)} >= %s")
    where = " AND ".join(conditions) or "1 = 1"
    # Only the model's own names, quoted, go into the text; every value is a parameter.
    total, table = column("failures_since_start"), quote(meta.db_table)
    return f"SELECT SUM({total}) FROM {table} WHERE {where}"  # noqa: S608

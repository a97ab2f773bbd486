"""The user of a name, read by a statement the ORM compiles once.

Every Basic request with a password reads its user's row by name (is the account still
active? which key does the credential cache remember the password under?), a poll every few
minutes from every reader. The ORM filters, compiles and executes that query on each call,
about 0.13 ms, where executing it takes about 0.02 ms; spared, it pays for the lockout check
a Basic poll asks beyond a session poll (docs/httpauth.md, "Speed"). ``user_named`` has the
ORM compile it once for each database connection and default manager, from that manager's
own queryset, and then only executes it with the name, prepared by its field, and builds the
user as the ORM's iteration does: the backend's and the fields' converters, then
``Model.from_db``.

A default manager whose queryset is its own (a ``get_queryset`` of its own, a QuerySet
subclass: soft deletion, a tenant) may filter by what changes from call to call, or build its
users its own way, so it is asked through the ORM on every call. tests/httpauth/test_users.py
holds the answer equal to the ORM's, field by field, on SQLite and (in tests/served/) on
PostgreSQL.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Manager
from django.db.models.query import QuerySet

#: A name that is nobody's, to compile the statement with: its place is the name's.
PLACEHOLDER = "httpauth.users: a name"


class Compiled(NamedTuple):
    """What running the ORM's query again would repeat."""

    sql: str
    field: Any  # the USERNAME_FIELD, whose value is the statement's one parameter
    init_list: list[str]  # the model's attribute names, in the row's order
    converters: list[Any]  # (position, (converters, expression)), as the ORM applies them


#: Per connection (each thread has its own, with its own operations), per default manager
#: (each user model has its own): the statement and how to build its row, or None where the
#: ORM is asked each time.
_compiled: WeakKeyDictionary[Any, dict[Manager[Any], Compiled | None]] = WeakKeyDictionary()


def user_named(username: str) -> Any:
    """The user whose USERNAME_FIELD is ``username``, or None; what
    ``_default_manager.filter(<USERNAME_FIELD>=username)[:1]`` finds, by one query."""
    model = get_user_model()
    manager = model._default_manager
    alias = manager.db
    connection = connections[alias]
    per_manager = _compiled.setdefault(connection, {})
    if manager not in per_manager:
        per_manager[manager] = _compile(model, manager, connection)
    compiled = per_manager[manager]
    if compiled is None:
        return next(iter(manager.filter(**{model.USERNAME_FIELD: username})[:1]), None)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, [_prepared(compiled.field, username, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    if compiled.converters:  # as SQLCompiler.apply_converters, with this connection
        row = list(row)
        for position, (converters, expression) in compiled.converters:
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
    return model.from_db(alias, compiled.init_list, row)


def _prepared(field: Any, value: Any, connection: Any) -> Any:
    """``value`` as an ``exact`` lookup on ``field`` sends it: its Python value, then its
    database form."""
    return field.get_db_prep_value(value, connection, prepared=False)


def _compile(model: Any, manager: Any, connection: Any) -> Compiled | None:
    """The ORM's own query, compiled with a placeholder for the name; None (ask the ORM each
    time) where the manager's queryset is not Django's plain one."""
    own_queryset = type(manager).get_queryset is not Manager.get_queryset
    if own_queryset or manager._queryset_class is not QuerySet:
        return None
    field = model._meta.get_field(model.USERNAME_FIELD)
    queryset = manager.filter(**{model.USERNAME_FIELD: PLACEHOLDER})[:1]
    compiler = queryset.query.get_compiler(connection=connection)
    sql, _params = compiler.as_sql()  # (the placeholder, prepared): the name's place
    columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        return None
    fields = compiler.klass_info["select_fields"]
    selected = compiler.select[fields[0] : fields[-1] + 1]
    return Compiled(
        sql,
        field,
        [column.target.attname for column, _sql, _alias in selected],
        list(compiler.get_converters(columns).items()),
    )

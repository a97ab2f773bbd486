"""httpauth.users against the ORM: users of every kind, asked by every kind of name.

Shared by tests/httpauth/test_users.py (the suite's SQLite) and tests/served/test_postgres.py
(``compare_everywhere`` through ``manage.py shell``, on PostgreSQL's own adapters).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from httpauth.users import user_named

#: Users whose rows hold every kind of value: never signed in (NULLs), inactive, staff,
#: names that differ by case, space, accents, SQL's wildcards and quotes; none of them the demo's.
STORED = {
    "dora": {"last_login": timedelta(minutes=5)},
    "Dora": {"is_active": False},
    "erin": {"is_staff": True, "is_superuser": True, "last_login": timedelta(days=400)},
    "zoë": {"first_name": "Zoë", "last_name": "Ä"},
    "o'brien": {},
    "50%_off": {},
    "a b": {},
}
#: The names asked: each stored one, and what a reader might send instead.
ASKED = [
    *STORED,
    "DORA",
    "dora ",
    " dora",
    "zoe",
    "zoë".upper(),
    "50%",
    "50_off",
    "%",
    "_",
    "o''brien",
    "a  b",
    "nobody",
    "x" * 150,
    "a\\b",
    "🙂",
]


def store_users():
    model, now = get_user_model(), timezone.now()
    for name, fields in STORED.items():
        user = model._default_manager.create_user(name, f"{len(name)}@example.com", "pw")
        for field, value in fields.items():
            setattr(user, field, now - value if isinstance(value, timedelta) else value)
        user.save()


def as_the_orm_finds(username):
    model = get_user_model()
    found = model._default_manager.filter(**{model.USERNAME_FIELD: username})[:1]
    return next(iter(found), None)


def contents(user):
    """Everything the ORM sets on a user it reads: each field's value and type, its state."""
    if user is None:
        return None
    fields = user._meta.concrete_fields
    values = [(f.attname, type(v).__name__, v) for f in fields for v in [getattr(user, f.attname)]]
    return type(user), values, user._state.db, user._state.adding


def compare_everywhere():
    """Every asked name against the stored users: returns ``(cases, differences, found)``,
    the differences as (name, the ORM's user, ours)."""
    store_users()
    cases, differences, found = 0, [], 0
    for name in ASKED:
        theirs, ours = contents(as_the_orm_finds(name)), contents(user_named(name))
        cases += 1
        found += theirs is not None
        if theirs != ours:
            differences.append((name, theirs, ours))
    return cases, differences, found

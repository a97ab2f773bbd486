"""httpauth.users: the user of a name, by a statement compiled once, as the ORM finds it."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import UserManager
from django.db import connection
from django.db.models.query import ModelIterable, QuerySet
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpauth.users import user_named
from tests.httpauth.user_cases import (
    ASKED,
    STORED,
    as_the_orm_finds,
    compare_everywhere,
    contents,
)
from tests.support.users import make_user

pytestmark = pytest.mark.django_db


def test_it_finds_every_user_as_the_orm_does_field_by_field():
    cases, differences, found = compare_everywhere()
    assert differences == []
    assert cases == len(ASKED)
    assert found == len(STORED)  # each stored user, by its own name only


def test_it_reads_the_user_in_one_query_the_orms_own():
    make_user("alice")
    with CaptureQueriesContext(connection) as orm:
        as_the_orm_finds("alice")
    with CaptureQueriesContext(connection) as ours:
        found = user_named("alice")
    assert found.get_username() == "alice"
    assert [query["sql"] for query in ours.captured_queries] == [
        query["sql"] for query in orm.captured_queries
    ]
    assert len(ours.captured_queries) == 1


def test_it_sees_a_change_made_after_the_statement_was_compiled():
    user = make_user("alice")
    assert user_named("alice").is_active
    user.is_active = False
    user.save()
    assert not user_named("alice").is_active
    user.delete()
    assert user_named("alice") is None


class ActiveOnly(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(is_active=True)


def test_a_default_manager_with_its_own_queryset_is_asked_through_the_orm(monkeypatch):
    model = get_user_model()
    make_user("alice", is_active=False)
    assert user_named("alice") is not None  # the plain manager's statement, compiled
    manager = ActiveOnly()
    manager.model = model
    monkeypatch.setattr(model._meta, "default_manager", manager)
    with CaptureQueriesContext(connection) as queries:
        assert user_named("alice") is None  # its filter, not the plain manager's statement
    assert '"is_active"' in queries.captured_queries[0]["sql"]


class Marking(ModelIterable):
    def __iter__(self):
        for user in super().__iter__():
            user.marked = True
            yield user


class MarkingQuerySet(QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._iterable_class = Marking


def test_a_default_manager_on_a_queryset_of_its_own_is_asked_through_the_orm(monkeypatch):
    model = get_user_model()
    make_user("alice")
    assert not hasattr(user_named("alice"), "marked")
    manager = UserManager.from_queryset(MarkingQuerySet)()
    manager.model = model
    monkeypatch.setattr(model._meta, "default_manager", manager)
    assert user_named("alice").marked  # built by its queryset, as the ORM builds it


@pytest.mark.django_db(transaction=True)
def test_a_thread_on_its_own_connection_reads_the_user_as_the_orm_does():
    make_user("alice")
    found = {}

    def read():
        try:
            found["thread"] = contents(user_named("alice"))
        finally:
            connection.close()  # the thread's own

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=30)
    assert found["thread"] == contents(user_named("alice")) == contents(as_the_orm_finds("alice"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stored=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20),
    asked=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20),
)
def test_any_name_finds_what_the_orm_finds(stored, asked):
    model = get_user_model()
    model._default_manager.all().delete()
    model._default_manager.create_user(stored, "someone@example.com", "pw")
    for name in (stored, asked, stored.upper(), stored.strip()):
        assert contents(user_named(name)) == contents(as_the_orm_finds(name))

"""The migration that added stored HTML renders the entries already there."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feeds", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_entries_made_before_stored_html_get_theirs():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    author = old.get_model("accounts", "User").objects.create(username="early")
    old.get_model("feeds", "Entry").objects.create(
        title="Early", slug="early", body="[Home](/) and *more*.", author=author
    )

    executor = MigrationExecutor(connection)  # the graph again, as migrate does
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    entry = new.get_model("feeds", "Entry").objects.get(slug="early")
    assert entry.body_html == (
        '<p><a href="https://site-origin.invalid/" rel="noopener noreferrer">Home</a> and '
        "<em>more</em>.</p>"
    )

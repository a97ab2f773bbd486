"""The import map's floors, held: what each layer of the site may import of the others.

`project/` is configuration, the release step, home and error pages: it imports nothing of
ours but its own modules. `ops` (operations) sits over the two portable apps and knows nothing
of the apps beside it (accounts) or above it (the demo layer: feeds, demo), whose metrics are
their own (feeds.metrics). The portable apps import no app of ours
(tests/test_standalone_apps.py runs them alone). Read from the source with ast, imports inside
functions included."""

import pytest

from tests.support.imports import imported_modules

OURS = {"project", "ops", "accounts", "sessions_backend", "httpauth", "feeds", "demo"}
#: What each app may import of ours, besides itself.
ALLOWED = {
    "project": set(),
    "ops": {"sessions_backend", "httpauth", "project"},
    "sessions_backend": set(),
    "httpauth": set(),
}


def imported_apps(app):
    """``{(module path, our app it imports)}`` for every import in the app's modules."""
    return {(path, top) for path, top in imported_modules(app) if top in OURS and top != app}


@pytest.mark.parametrize("app", ALLOWED)
def test_each_layer_imports_only_what_lies_below_it(app):
    beyond = sorted((path, imported) for path, imported in imported_apps(app)
                    if imported not in ALLOWED[app])  # fmt: skip
    assert beyond == []


def test_the_check_sees_imports():
    # A control: ops does import the portable apps' signals, so the scan finds imports.
    assert {imported for _, imported in imported_apps("ops")} >= {"httpauth", "sessions_backend"}

"""The import map's floors, held: what each layer of the site may import of the others.

`project/` is configuration, the release step, home and error pages: it imports nothing of
ours but its own modules. `ops` (operations) sits over the two portable apps and knows nothing
of the apps beside it (accounts) or above it (the demo layer: feeds, demo), whose metrics are
their own (feeds.metrics). The portable apps import no app of ours
(tests/test_standalone_apps.py runs them alone). Read from the source with ast, imports inside
functions included."""

import ast

import pytest

from tests.support.daemons import BASE_DIR

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
    found = set()
    for path in (BASE_DIR / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top in OURS and top != app:
                    found.add((str(path.relative_to(BASE_DIR)), top))
    return found


@pytest.mark.parametrize("app", ALLOWED)
def test_each_layer_imports_only_what_lies_below_it(app):
    beyond = sorted((path, imported) for path, imported in imported_apps(app)
                    if imported not in ALLOWED[app])  # fmt: skip
    assert beyond == []


def test_the_check_sees_imports():
    # A control: ops does import the portable apps' signals, so the scan finds imports.
    assert {imported for _, imported in imported_apps("ops")} >= {"httpauth", "sessions_backend"}

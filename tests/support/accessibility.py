"""axe-core on a page in the browser tests: no violation of WCAG 2.1 A and AA.

axe-core comes from npm (``make test`` installs it under .venv/axe: the Makefile's AXE). It is
run through Playwright's ``evaluate``, which the page's Content-Security-Policy (no inline
script) does not apply to, so the page is checked as served.
"""

import functools

import pytest

from tests.support.daemons import BASE_DIR

AXE = BASE_DIR / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def _source():
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run make test (it installs it)")
    return AXE.read_text()


def violations(page):
    """axe-core's violations on ``page`` as it is now: [(rule id, first offending HTML)]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source() + "\n;0")
    found = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations.map(v => [v.id, v.nodes[0].html]))",
        RULES,
    )
    return [tuple(v) for v in found]


def assert_accessible(page):
    found = violations(page)
    assert found == [], f"axe-core on {page.url}: {found}"

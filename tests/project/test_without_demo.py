"""The site without its demo layer: settings without "feeds" and "demo" (and so without
their URLs, menu entries and feed links) still serve home, sign-in, account, 404 and 500."""

import re

import pytest

from tests.project.without_demo import settings as without_demo
from tests.standalone import BASE_DIR, run_pytest

PAGES = BASE_DIR / "tests" / "project" / "without_demo" / "pages.py"


def test_the_settings_are_the_projects_minus_the_demo_apps():
    from project import settings as project

    assert [app for app in project.INSTALLED_APPS if app not in without_demo.INSTALLED_APPS] == [
        "feeds",
        "demo",
    ]


@pytest.mark.slow
def test_the_site_pages_render_without_the_demo_layer():
    written = len(re.findall(r"^def test_", PAGES.read_text(), re.MULTILINE))
    assert run_pytest("tests.project.without_demo.settings", PAGES) == written

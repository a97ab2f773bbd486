"""The README and docs/ match the code: links resolve, and every environment variable, app
setting, system check, command and make target is documented, each setting in one place."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.daemons import BASE_DIR

README = BASE_DIR / "README.md"
SECURITY = BASE_DIR / "SECURITY.md"
DOCS = sorted((BASE_DIR / "docs").glob("*.md"))
PAGES = [README, SECURITY, *DOCS]
# A newcomer should get the picture in about two screens.
README_MAX_BYTES = 12_000
#: Our installed apps with settings of their own (a conf.py), and each one's docs page; the
#: site's own checks are on the deployment page.
APPS = [app for app in settings.INSTALLED_APPS if (BASE_DIR / app / "conf.py").exists()]
PAGE = {"ops": "operations.md", "project": "deployment.md"}
#: Read from .env but not passed to the web container: build arguments, gunicorn's own
#: WEB_CONCURRENCY (an empty one stops gunicorn), and the production proxy's.
NOT_IN_THE_CONTAINER = {
    *("PYTHON_IMAGE", "WEB_CONCURRENCY", "HTTP_PORT", "HTTPS_PORT", "NGINX_IMAGE", "SITE_HOST"),
}

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
TABLE_NAMES = re.compile(r"^\| ([^|]+)\|", re.MULTILINE)  # a table row's first cell
NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def prose(page):
    """A page without its fenced code blocks, where links and headings are not Markdown."""
    return FENCE.sub("", page.read_text())


def anchor(heading):
    """The anchor GitHub gives a heading."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return slug.replace(" ", "-")


def relative_links():
    for page in PAGES:
        for target in LINK.findall(prose(page)):
            if not re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                yield page, target


@pytest.mark.parametrize(
    ("page", "target"),
    list(relative_links()),
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_every_relative_link_resolves(page, target):
    path, _, fragment = target.partition("#")
    linked = (page.parent / path).resolve() if path else page
    assert linked.exists(), f"{page.name} links to {target}, which does not exist"
    if fragment and linked.suffix == ".md":
        anchors = {anchor(heading) for heading in HEADING.findall(prose(linked))}
        assert fragment in anchors, f"{page.name} links to {target}: no such heading"


def test_the_readme_links_to_every_page_of_the_docs():
    linked = {
        (README.parent / target.partition("#")[0]).resolve()
        for page, target in relative_links()
        if page == README
    }
    assert {page.resolve() for page in DOCS} <= linked


def test_the_readme_reads_in_about_two_screens():
    assert len(README.read_bytes()) <= README_MAX_BYTES
    text = README.read_text()
    assert "docker compose up" in text
    assert "make test" in text


def documented_in_tables():
    """``{name: [pages]}`` for every NAME in the first cell of a table row of any page."""
    found = {}
    for page in PAGES:
        for cell in TABLE_NAMES.findall(prose(page)):
            for name in NAME.findall(cell):
                found.setdefault(name, []).append(page.relative_to(BASE_DIR).as_posix())
    return found


def environment_variables():
    """The variables the code and the compose files read."""
    sources = [
        *(BASE_DIR / "project").glob("*.py"),
        BASE_DIR / "gunicorn.conf.py",
        *(BASE_DIR / "demo").rglob("*.py"),
    ]
    names = {
        name
        for source in sources
        for name in re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source.read_text())
    }
    names |= {
        name
        for source in BASE_DIR.glob("docker-compose*.yml")
        for name in re.findall(r"\$\{([A-Z_]+)", source.read_text())
    }
    superuser = importlib.import_module("accounts.management.commands.ensure_superuser")
    names |= {superuser.USERNAME, superuser.PASSWORD, superuser.EMAIL}
    return sorted(names)


@pytest.mark.parametrize("name", environment_variables())
def test_each_environment_variable_is_documented_once_in_deployment(name):
    assert documented_in_tables().get(name) == ["docs/deployment.md"]
    example = (BASE_DIR / ".env.example").read_text()
    assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), f"{name} is not in .env.example"


@pytest.mark.parametrize("name", sorted(set(environment_variables()) - NOT_IN_THE_CONTAINER))
def test_each_environment_variable_reaches_the_web_container(name):
    # .env.example says docker compose reads .env: only what the web service lists gets in.
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert re.search(rf"^      {name}: ", compose, re.MULTILINE), f"{name} is not passed to web"


def page(app):
    return PAGE.get(app, f"{app}.md")


def app_settings():
    for app in APPS:
        defaults = importlib.import_module(f"{app}.conf").DEFAULTS
        for setting in defaults:
            yield app, f"{app.upper()}_{setting}"


@pytest.mark.parametrize(("app", "setting"), list(app_settings()))
def test_each_app_setting_is_documented_once_on_its_apps_page(app, setting):
    assert documented_in_tables().get(setting) == [f"docs/{page(app)}"]


def check_ids():
    for app in [*APPS, "project"]:
        source = (BASE_DIR / app / "checks.py").read_text()
        for check_id in sorted(set(re.findall(rf'id=f?"({app}\.[EW]\d{{3}})"', source))):
            yield app, check_id


@pytest.mark.parametrize(("app", "check_id"), list(check_ids()))
def test_each_check_is_documented_on_its_apps_page(app, check_id):
    assert f"| `{check_id}` |" in (BASE_DIR / "docs" / page(app)).read_text()


def commands():
    for path in sorted(BASE_DIR.glob("*/management/commands/[a-z]*.py")):
        yield path.parent.parent.parent.name, path.stem


@pytest.mark.parametrize(("app", "command"), list(commands()))
def test_each_command_is_documented_on_its_apps_page(app, command):
    assert f"manage.py {command}" in (BASE_DIR / "docs" / page(app)).read_text()


def make_targets():
    makefile = (BASE_DIR / "Makefile").read_text()
    return re.findall(r"^([a-z-]+):.*## ", makefile, re.MULTILINE)


@pytest.mark.parametrize("target", make_targets())
def test_each_make_target_is_documented(target):
    assert any(f"make {target}" in page.read_text() for page in PAGES)

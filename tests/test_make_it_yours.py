"""docs/make-it-yours.md's "Remove the feeds too", followed in a copy of the tree: the site
without its demo layer passes its checks, needs no migration, its fast suite passes, and
every deployment still works: each `manage.py <command>` the compose files, the Kubernetes
manifests and the Makefile run exists, the release step runs, and the production compose file
and both overlays render.

Each step below is one of the page's, in its order; each edit must find exactly the text it
removes, so a change to the settings, URLs or compose files that the page does not follow
fails here.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.manifests import kubectl
from tests.support.standalone import BASE_DIR

#: What the page says to delete, with the folders' tests.
FOLDERS = ("feeds", "demo", "templates/feeds", "tests/feeds", "tests/demo")
#: The lines the page says to remove, file by file.
LINES = {
    "project/settings.py": [
        r'    "feeds",\n',
        r'    "demo",\n',
        r'                "feeds\.context_processors\.feeds",\n',
        r'HTTPAUTH_READER_USE = "feeds\.reader_use\.described".*\n',
    ],
    "project/urls.py": [r'    path\("", include\("feeds\.urls"\)\),.*\n'],
}
#: Where deployments name manage.py commands: rendered (compose, kustomize) or as written.
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.dev.yml", "docker-compose.production.yml")
OVERLAYS = ("production", "kind")
#: A manage.py command as a shell line, an exec list or its YAML rendering writes it.
COMMAND = re.compile(r"""manage\.py['"]?(?:,\s*['"]|\s+-\s+|\s+)([a-z_]+)""")
#: The fast suite. The environment-is-the-lock test runs in the suite proper: under
#: make test-django-latest, which upgrades Django, the copy's run would refuse it.
FAST = "not slow and not browser and not locked_environment"
#: The portable apps' tests are left out of the copy's run: tests/test_standalone_apps.py runs
#: them in a project with no other app of ours at all, which is more than the copy takes away.
PORTABLE = ("tests/sessions_backend", "tests/httpauth")
#: The seconds a fresh copy's fast suite may take on a busy machine.
SUITE_SECONDS = 600


def tree_copy(target):
    """The files git has (tracked, or new and not ignored), as a clone would."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = BASE_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def remove_the_demo(tree):
    for folder in FOLDERS:
        shutil.rmtree(tree / folder)
    for name, patterns in LINES.items():
        path = tree / name
        text = path.read_text()
        for pattern in patterns:
            text, found = re.subn(pattern, "", text)
            assert found == 1, f"{name}: the page's line {pattern!r} is there {found} times"
        path.write_text(text)


def run(tree, *args, seconds=120, env=None):
    env = {
        **os.environ,
        **(env or {}),
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_SECRET_KEY": "make-it-yours-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    tree = tmp_path_factory.mktemp("make-it-yours")
    tree_copy(tree)
    remove_the_demo(tree)
    return tree


@pytest.mark.slow
def test_the_site_without_the_demo_passes_its_checks_and_needs_no_migration(tree):
    assert "System check identified no issues" in run(tree, "manage.py", "check")
    assert "No changes detected" in run(tree, "manage.py", "makemigrations", "--check")


@pytest.mark.slow
def test_the_site_without_the_demo_passes_its_fast_suite(tree):
    output = run(
        tree,
        *("-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", FAST),
        *(f"--ignore={directory}" for directory in PORTABLE),
        seconds=SUITE_SECONDS,
    )
    summary = output.strip().splitlines()[-1]
    assert re.search(r"^\d+ passed", summary), summary
    assert not re.search(r"failed|error|skipped", summary), summary


#: Where `make compose-v2` puts Docker Compose v2; the binary also runs without Docker's CLI.
COMPOSE_V2 = Path("/usr/local/lib/docker/cli-plugins/docker-compose")


def compose():
    """Docker Compose v2: docker-compose.dev.yml's `develop` is unknown to Debian's 1.29."""
    v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if v2.returncode == 0:
        return ["docker", "compose"]
    if os.access(COMPOSE_V2, os.X_OK):
        return [str(COMPOSE_V2)]
    pytest.fail("Docker Compose v2 is needed: make system-deps (as root) installs it")


def rendered_deployments(tree):
    """The text of every place that deploys the site, rendered as its tool reads it."""
    texts = {}
    for name in COMPOSE_FILES:
        texts[name] = subprocess.run(
            [*compose(), "-f", name, "config"],
            cwd=tree,
            env={**os.environ, "COMPOSE_PROJECT_NAME": "make-it-yours"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    for overlay in OVERLAYS:
        texts[overlay] = subprocess.run(
            [kubectl(), "kustomize", tree / "deploy" / "kubernetes" / "overlays" / overlay],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    texts["Makefile"] = (tree / "Makefile").read_text()
    return texts


@pytest.mark.slow
def test_every_command_a_deployment_runs_exists_without_the_demo(tree):
    """After the page, the production migrate service used to stop at "Unknown command:
    'seed_demo'", and the Kubernetes Job failed every release."""
    known = set(run(tree, "manage.py", "help", "--commands").split())
    named = {
        (where, command)
        for where, text in rendered_deployments(tree).items()
        for command in COMMAND.findall(text)
    }
    assert {where for where, _ in named} == {*COMPOSE_FILES, *OVERLAYS, "Makefile"}
    assert ("docker-compose.production.yml", "release") in named
    missing = sorted((where, command) for where, command in named if command not in known)
    assert missing == []


@pytest.mark.slow
def test_the_release_step_runs_without_the_demo(tree, tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'release.sqlite3'}"}
    output = run(tree, "manage.py", "release", env=env)
    assert "Release step: manage.py ensure_superuser" in output
    assert "seed_demo" not in output


#: Run in the copy: the families /metrics exports, one a line.
FAMILIES = """
import django
django.setup()
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families
text = Client().get("/metrics").content.decode()
print("\\n".join(family.name for family in text_string_to_metric_families(text)))
"""


@pytest.mark.slow
def test_metrics_export_no_feeds_family_without_the_feeds(tree):
    """The feeds own their counter (feeds/metrics.py): it leaves with them."""
    families = set(run(tree, "-c", FAMILIES).split())
    assert {"site_responses", "site_cache_operations", "site_basic_auth"} <= families
    assert not any(name.startswith("site_feed") for name in families)

"""docker-compose.production.yml's defaults, as `docker compose` reads them with nothing set:
a starter's production file is copied as it is, so its defaults must be safe (SECURITY.md,
findings 7 and 10). make smoke-production runs the file itself."""

import math
import re

import yaml

from tests.support.daemons import BASE_DIR

COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.production.yml").read_text())
DEFAULT = re.compile(r"\$\{([A-Z_]+):-((?:[^{}]|\$\{[^}]*\})*)\}")


def with_nothing_set(value):
    """``value`` with every ``${NAME:-default}`` replaced by its default, nested ones too."""
    while (expanded := DEFAULT.sub(lambda match: match[2], value)) != value:
        value = expanded
    return value


def environment(service):
    return {
        name: with_nothing_set(str(value))
        for name, value in COMPOSE["services"][service]["environment"].items()
    }


def test_the_production_file_seeds_no_demo_users_by_default():
    assert environment("web")["SEED_DEMO"] == "false"
    assert environment("migrate")["SEED_DEMO"] == "false"


def test_one_host_name_gives_the_site_url_allowed_host_and_origin():
    web, proxy = environment("web"), environment("proxy")
    assert web["DJANGO_SITE_URL"] == "https://localhost"
    assert web["DJANGO_ALLOWED_HOSTS"] == "localhost"
    assert web["DJANGO_CSRF_TRUSTED_ORIGINS"] == "https://localhost"
    assert proxy["SITE_HOST"] == "localhost"
    site = COMPOSE["x-site"]["environment"]
    for name in ("DJANGO_SITE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS"):
        assert "${SITE_HOST:-localhost}" in site[name], name


def test_the_release_step_runs_the_deployment_checks_first():
    # check --deploy, migrate, each app's steps: project/management/commands/release.py.
    command = COMPOSE["services"]["migrate"]["command"]
    assert command == ["python", "manage.py", "release", "--deploy"]


def test_the_web_replicas_run_as_many_workers_as_their_cpu_and_memory_hold():
    """gunicorn counted the host's CPUs. The same size as a Kubernetes web pod, whose memory
    tests/served/test_sizing.py measures."""
    from tests.support.manifests import site_config, web_container

    limits = COMPOSE["services"]["web"]["deploy"]["resources"]["limits"]
    workers = int(environment("web")["WEB_CONCURRENCY"])
    assert workers == 2 * math.ceil(float(limits["cpus"])) + 1
    assert str(workers) == site_config()["WEB_CONCURRENCY"]
    pod = web_container()["resources"]["limits"]
    assert (limits["cpus"], limits["memory"]) == (pod["cpu"], pod["memory"].replace("Mi", "m"))

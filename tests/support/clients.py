"""Which memcached clients this Python has: pyproject.toml leaves pylibmc out where its last
release does not run (Python 3.14 and later)."""

import tomllib

from tests.support.daemons import BASE_DIR


def pylibmc_is_a_dependency_here():
    """Whether pyproject.toml installs pylibmc on this Python (its marker says where)."""
    from packaging.requirements import Requirement

    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if requirement.name == "pylibmc":
            return requirement.marker is None or requirement.marker.evaluate()
    return False

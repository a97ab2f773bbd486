"""Print uv's pinned requirement with every hash uv.lock holds for it, for pip.

uv installs everything else with hashes checked (uv.lock); uv itself must first come from
pip. `pip install --require-hashes -r <(python3 deploy/uv-requirement.py)` installs exactly
the uv the lock pins (its dev group), checked as the rest is: the Makefile and the Dockerfile
bootstrap it so. Standard library only (Python 3.11+): it runs before anything is installed.
"""

import sys
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def main():
    with LOCK.open("rb") as lock:
        [uv] = [package for package in tomllib.load(lock)["package"] if package["name"] == "uv"]
    files = [*uv.get("wheels", []), *([uv["sdist"]] if "sdist" in uv else [])]
    if not files:
        sys.exit("uv.lock holds no hash for uv")
    hashes = " ".join(f"--hash={file['hash']}" for file in files)
    print(f"uv=={uv['version']} {hashes}")


if __name__ == "__main__":
    main()

"""project/settings.py as a deployment with a given environment reads it."""

import os
import runpy
from types import SimpleNamespace

from tests.support.daemons import BASE_DIR


def site_settings(**env):
    """Run project/settings.py afresh in this process with only ``env`` (and DEBUG, for a
    secret key) of the site's variables; the environment is put back afterwards."""
    saved = dict(os.environ)
    ours = ("DJANGO_", "MEMCACHED_")
    os.environ.clear()
    os.environ.update({k: v for k, v in saved.items() if not k.startswith(ours)})
    os.environ.update({"DJANGO_DEBUG": "true", **env})
    try:
        return SimpleNamespace(**runpy.run_path(str(BASE_DIR / "project" / "settings.py")))
    finally:
        os.environ.clear()
        os.environ.update(saved)

#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    from django.core.management import execute_from_command_line

    from project.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as exc:
        # A configuration mistake: say which variable, without a traceback.
        sys.exit(f"Configuration error: {exc}")


if __name__ == "__main__":
    main()

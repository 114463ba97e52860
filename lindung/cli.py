"""The ``lindung`` console command: Django's manage.py with the project's settings.

Hyphenated names are accepted for the project's own commands (``lindung demo-data``) and map to
the Django command module (``demo_data``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "lindung"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()

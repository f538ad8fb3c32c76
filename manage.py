#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    # The command line is a developer's tool: DEBUG defaults on here so the dev secret works out of the box.
    # Servers start through wsgi/asgi, where DEBUG stays off unless set; deployments set DEBUG=0 explicitly.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

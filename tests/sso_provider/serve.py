"""Run the test provider: `python -m tests.sso_provider.serve PORT` with TEST_PROVIDER_DB set."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False)

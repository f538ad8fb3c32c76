"""What belongs to this repository, found from the registry so that a new app is never forgotten."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from django.apps import AppConfig, apps

ROOT = Path(__file__).resolve().parents[1]
# The virtualenv may live inside the repository (.venv): its site-packages are not ours.
LIBRARIES = Path(sysconfig.get_paths()["purelib"]).resolve()


def our_app_configs() -> list[AppConfig]:
    """Return the installed apps whose code lives in this repository (not Django's, nor a library's)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and not Path(config.path).resolve().is_relative_to(LIBRARIES)
    ]

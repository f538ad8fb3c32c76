"""`python manage.py load_frameworks`: load or refresh the published inspection frameworks (safe to rerun)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.loading import FrameworkDataError, data_files, load_file


class Command(BaseCommand):
    help = "Load the published inspection frameworks (2016 local area SEND, 2023 area SEND) from data files."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help="Framework JSON files to load instead of the shipped ones."
        )

    def handle(self, *args, **options) -> None:
        paths = options["files"] or data_files()
        for path in paths:
            if not path.exists():
                raise CommandError(f"No such file: {path}")
            try:
                framework = load_file(path)
            except FrameworkDataError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"  {framework}: {framework.sections.count()} sections, {framework.criteria.count()} criteria"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} framework(s) loaded."))

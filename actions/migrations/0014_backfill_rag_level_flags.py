from django.db import migrations

from actions.rag_flags import backfill_level_flags


def backfill(apps, schema_editor):
    backfill_level_flags(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("actions", "0013_measure_national_only_rows_and_source")]

    # Going back leaves the flags set: they are data a plan lead may have relied on since.
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

# Role permissions are set from code (send_tracker/roles.py) against the models every app has by now; this
# runs after the last migration of each app, so no role misses a model whatever order the apps migrate in.
from django.db import migrations

from core.roles import sync_groups


class Migration(migrations.Migration):
    dependencies = [
        ("send_tracker", "0003_administrators_only_view_groups"),
        ("actions", "0012_measure_versions_and_national_period"),
        ("inspections", "0005_criterion_framework_required_codes_unique"),
        ("reports", "0006_ship_paper_templates"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

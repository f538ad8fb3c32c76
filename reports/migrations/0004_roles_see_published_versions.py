from django.db import migrations

from core.roles import sync_groups


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_paper_versions_and_appendix_options"),
        ("send_tracker", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

from django.db import migrations

from core.roles import sync_groups


class Migration(migrations.Migration):
    """Administrators assign roles but no longer edit groups (issue #18): re-apply the roles from code."""

    dependencies = [
        ("send_tracker", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

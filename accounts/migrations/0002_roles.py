from django.db import migrations

from core.roles import sync_groups


class Migration(migrations.Migration):
    dependencies = [
        ("send_tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0002_initial"),
        ("actions", "0002_initial"),
        ("reports", "0002_initial"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

from django.db import migrations

from core.roles import sync_groups


class Migration(migrations.Migration):
    """Give the roles their permissions on the new ReminderSent model (view for all, add/change for leads)."""

    dependencies = [
        ("actions", "0009_update_cycle_deadlines_and_reminders"),
        ("send_tracker", "0003_administrators_only_view_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

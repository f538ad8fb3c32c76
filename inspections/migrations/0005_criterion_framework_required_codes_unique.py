import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_criterion_frameworks_and_unique_codes")]

    operations = [
        migrations.AlterField(
            model_name='criterion',
            name='framework',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='criteria', to='inspections.framework'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.UniqueConstraint(fields=('framework', 'code'), name='criterion_code_unique_in_framework'),
        ),
    ]

from django.db import migrations


def set_criterion_frameworks(apps, schema_editor):
    """Copy each criterion's framework from its section; give repeated codes a letter suffix, in order.

    Before codes had to be unique within a framework, a council's tracker could number two criteria alike
    (Sunderland's prints C11 twice). The first keeps its code; later ones become C11a, C11b, …
    """
    Criterion = apps.get_model("inspections", "Criterion")
    taken: dict[int, set[str]] = {}
    for criterion in Criterion.objects.select_related("section").order_by(
        "section__framework", "section__order", "order", "pk"
    ):
        framework_id = criterion.section.framework_id
        codes = taken.setdefault(framework_id, set())
        code = criterion.code
        if code in codes:
            for suffix in "abcdefghijklmnopqrstuvwxyz":
                if f"{code}{suffix}"[:20] not in codes:
                    code = f"{code}{suffix}"[:20]
                    break
        codes.add(code)
        Criterion.objects.filter(pk=criterion.pk).update(framework_id=framework_id, code=code)


class Migration(migrations.Migration):
    # Data only: PostgreSQL refuses to ALTER a table with pending deferred-FK checks from the same
    # transaction, so making the column required is the next migration.
    dependencies = [("inspections", "0003_review_chain_revisit_judgements_rating_rounds")]

    operations = [migrations.RunPython(set_criterion_frameworks, migrations.RunPython.noop)]

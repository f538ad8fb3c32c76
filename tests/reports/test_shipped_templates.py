"""A new database starts with the shipped paper templates (a post_migrate receiver, not a data migration)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from reports.models import PaperTemplate
from reports.shipped_templates import TEMPLATES

SHIPPED = [name for name, *_rest in TEMPLATES]


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_the_shipped_templates_again():
    call_command("flush", interactive=False, verbosity=0)
    assert list(PaperTemplate.objects.values_list("name", flat=True)) == SHIPPED
    generic = PaperTemplate.objects.get(name="Generic committee report")
    assert generic.sections.count() == 7
    assert [s.role for s in generic.sign_offs.all()] == [
        "Director",
        "Chief Finance Officer",
        "Monitoring Officer",
    ]


@pytest.mark.django_db
def test_a_later_migrate_leaves_templates_a_council_edited_alone():
    PaperTemplate.objects.filter(name="WSOA progress").update(name="Borough WSOA progress")
    call_command("migrate", verbosity=0)
    names = set(PaperTemplate.objects.values_list("name", flat=True))
    assert "WSOA progress" not in names
    assert "Borough WSOA progress" in names
    assert len(names) == len(SHIPPED)

"""Our migrations were squashed (issue #24): each app starts from `0001_squashed`, which `replaces` every old
migration, so a database migrated with the old files needs nothing, and a migration written against an old
name (another branch's `0020_…` depending on `0019_i28_…`) still finds its place in the graph.
"""

from __future__ import annotations

import shutil
import sys

from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from tests.core.test_import_graph import ROOT

# Every migration each app had before the squash.
OLD = {
    "send_tracker": [
        "0001_initial",
        "0002_roles",
        "0003_administrators_only_view_groups",
        "0004_roles_after_every_app",
        "0005_i34_single_sign_on_identity",
    ],
    "actions": [
        "0001_initial",
        "0002_initial",
        "0003_people_leads_and_accountable_officers",
        "0004_measure_direction_has_no_default",
        "0005_plan_building_versions_archive_rebaseline",
        "0006_rag_level_flags_patterns_retire",
        "0007_organisation_succession",
        "0008_actionupdate_reason_and_recovery",
        "0009_update_cycle_deadlines_and_reminders",
        "0010_role_permissions_for_reminders",
        "0011_plan_kinds_due_date_and_reviews",
        "0012_measure_versions_and_national_period",
        "0013_measure_national_only_rows_and_source",
        "0014_backfill_rag_level_flags",
        "0015_scale_and_success_criterion_versions",
        "0016_plan_off_track_tolerance",
        "0017_i27_revised_due_may_precede_start",
        "0018_i27_milestone_label",
        "0019_i28_measures_in_the_app",
    ],
    "demo": ["0001_demo_flag_and_sources"],
    "exchange": ["0001_uploads_and_mappings", "0002_i27_kpi_sheet"],
    "inspections": [
        "0001_initial",
        "0002_initial",
        "0003_review_chain_revisit_judgements_rating_rounds",
        "0004_criterion_frameworks_and_unique_codes",
        "0005_criterion_framework_required_codes_unique",
        "0006_review_and_judgement_versions",
        "0007_i28_review_records_and_findings",
    ],
    "public": ["0001_i33_public_pages"],
    "reports": [
        "0001_initial",
        "0002_initial",
        "0003_paper_versions_and_appendix_options",
        "0004_roles_see_published_versions",
        "0005_paper_templates",
        "0006_ship_paper_templates",
        "0007_paper_parts_archived_not_deleted",
        "0008_appendix_coverage_status_and_rebaselines",
        "0009_i29_house_styles",
    ],
}


def _squashed(loader: MigrationLoader, app: str) -> dict[str, list[str]]:
    return {
        name: [old for replaced_app, old in migration.replaces if replaced_app == app]
        for (label, name), migration in loader.disk_migrations.items()
        if label == app
    }


def test_each_app_starts_from_squashed_migrations_that_replace_every_old_one():
    # The files on disk, whatever the test database was built from.
    with override_settings(MIGRATION_MODULES={}):
        loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, old in OLD.items():
        # Migrations written after the squash replace nothing and follow it.
        squashed = {name: old for name, old in _squashed(loader, app).items() if old}
        assert squashed, app
        assert all(name.endswith("_squashed") for name in squashed), (app, sorted(squashed))
        # Each old name is replaced exactly once, by one of the app's new migrations.
        assert sorted(name for names in squashed.values() for name in names) == sorted(old), app


def test_a_migration_depending_on_a_replaced_name_still_loads(tmp_path):
    """Another branch's new migration, written before the squash, depends on an old name that is gone."""
    package = tmp_path / "branch_actions_migrations"
    shutil.copytree(ROOT / "actions" / "migrations", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "0020_i99_from_another_branch.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [\n"
        '        ("actions", "0019_i28_measures_in_the_app"),\n'
        '        ("reports", "0009_i29_house_styles"),\n'
        '        ("send_tracker", "0005_i34_single_sign_on_identity"),\n'
        "    ]\n"
        "    operations = []\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        with override_settings(MIGRATION_MODULES={"actions": "branch_actions_migrations"}):
            loader = MigrationLoader(None, ignore_no_migrations=True)
    finally:
        sys.path.remove(str(tmp_path))
        for module in [name for name in sys.modules if name.startswith("branch_actions_migrations")]:
            del sys.modules[module]
    graph = loader.graph
    new = ("actions", "0020_i99_from_another_branch")
    assert new in graph.leaf_nodes("actions")
    parents = graph.node_map[new].parents
    assert {parent.key for parent in parents} == {
        ("actions", "0001_squashed"),
        ("reports", "0001_squashed"),
        ("send_tracker", "0001_squashed"),
    }
    # The plan to migrate a new database runs the squashed migrations, then the branch's one.
    plan = graph.forwards_plan(new)
    assert plan[-1] == new
    assert not any(name in OLD.get(app, []) for app, name in plan)

"""Scales made before the level flags get them from their labels; ambiguous labels are left alone."""

from __future__ import annotations

import pytest
from django.apps import apps

from actions.models import RagLevel, RagScale
from actions.rag_flags import backfill_level_flags, flag_for


@pytest.mark.parametrize(
    ("label", "flag"),
    [
        ("Complete", "counts_as_closed"),
        ("Completed", "counts_as_closed"),
        ("Blue", "counts_as_closed"),
        ("On track", "counts_as_on_track"),
        ("On-track.", "counts_as_on_track"),
        ("Green", "counts_as_on_track"),
        ("Not started", "counts_as_not_started"),
        ("NOT YET STARTED", "counts_as_not_started"),
        ("At risk", None),
        ("Reprogrammed", None),
        ("Complete but not embedded", None),
        ("Amber", None),
    ],
)
def test_a_label_gives_a_flag_only_when_it_plainly_means_one(label, flag):
    assert flag_for(label) == flag


def levels_of(scale: RagScale) -> dict[str, tuple[bool, bool, bool]]:
    return {
        level.label: (level.counts_as_closed, level.counts_as_on_track, level.counts_as_not_started)
        for level in scale.levels.all()
    }


def make_scale(name: str, labels: list[tuple[str, str]], **flags) -> RagScale:
    scale = RagScale.objects.create(name=name)
    for order, (colour, label) in enumerate(labels):
        RagLevel.objects.create(scale=scale, colour=colour, label=label, order=order, **flags.get(label, {}))
    return scale


@pytest.mark.django_db
def test_existing_scales_get_their_flags_from_their_level_names():
    brag = make_scale(
        "Old BRAG",
        [
            ("blue", "Completed"),
            ("green", "On track"),
            ("amber", "At risk"),
            ("red", "Off track"),
            ("grey", "Not started"),
        ],
    )
    by_colour = make_scale(
        "Colours", [("blue", "Blue"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")]
    )

    changed = backfill_level_flags(apps)

    assert changed == 5
    assert levels_of(brag) == {
        "Completed": (True, False, False),
        "On track": (False, True, False),
        "At risk": (False, False, False),
        "Off track": (False, False, False),
        "Not started": (False, False, True),
    }
    assert levels_of(by_colour) == {
        "Blue": (True, False, False),
        "Green": (False, True, False),
        "Amber": (False, False, False),
        "Red": (False, False, False),
    }


@pytest.mark.django_db
def test_a_scale_someone_already_flagged_is_left_exactly_as_it_is():
    # A plan lead decided "Complete" does not close an action here (awaiting sign-off) and flagged another.
    scale = make_scale(
        "Set by hand",
        [("blue", "Signed off"), ("green", "Complete"), ("amber", "On track")],
        **{"Signed off": {"counts_as_closed": True}},
    )
    before = levels_of(scale)

    assert backfill_level_flags(apps) == 0
    assert levels_of(scale) == before


@pytest.mark.django_db
def test_running_it_again_changes_nothing():
    make_scale("Twice", [("blue", "Complete"), ("green", "On track")])
    backfill_level_flags(apps)

    assert backfill_level_flags(apps) == 0

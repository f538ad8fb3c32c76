# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""Demo boards, their meetings, and the two delivery RAG scales."""

from __future__ import annotations

import datetime

from actions.models import Board, Meeting, RagLevel, RagScale
from demo.base import Demo, ensure

DEVELOPMENT_BOARD = "SEND Development Board"
SCRUTINY_COMMITTEE = "Children's Services Overview and Scrutiny Committee"
OPERATIONAL_GROUP = "SEND Operational Group"

# name: (kind, chair, cadence); wording from the 2017 and 2019 committee reports.
BOARDS = {
    DEVELOPMENT_BOARD: (Board.Kind.BOARD, "Portfolio Holder for Education & Health", "Fortnightly"),
    SCRUTINY_COMMITTEE: (
        Board.Kind.SCRUTINY,
        "Chair of the Children's Services Overview and Scrutiny Committee",
        "Six times a year",
    ),
    OPERATIONAL_GROUP: (Board.Kind.OPERATIONAL, "Assistant Director of Education & Skills", "Monthly"),
}

# key: (board, title, date or days from today, location). Relative dates are set when first created.
MEETINGS = {
    "peer_review_scrutiny": (
        SCRUTINY_COMMITTEE,
        "Peer Review Special Educational Needs and Disabilities Support across the Local Area",
        datetime.date(2017, 10, 10),
        "Committee Room 1, Civic Centre",
    ),
    "wsoa_scrutiny": (
        SCRUTINY_COMMITTEE,
        "Extraordinary meeting: SEND Inspection Outcome – Written Statement of Action",
        datetime.date(2019, 7, 25),
        "Committee Room 1, Civic Centre",
    ),
    "last_scrutiny": (
        SCRUTINY_COMMITTEE,
        "SEND improvement: quarterly progress report (illustrative)",
        -42,
        "Committee Room 1, Civic Centre",
    ),
    "progress_scrutiny": (
        SCRUTINY_COMMITTEE,
        "SEND improvement plan: progress update (illustrative)",
        35,
        "Committee Room 1, Civic Centre",
    ),
    "board_last": (DEVELOPMENT_BOARD, "Update cycle review and KPI report", -12, "Online (Teams)"),
    "board_next": (DEVELOPMENT_BOARD, "Off-track actions and recovery plans", 2, "Online (Teams)"),
    # Illustrative: the fortnightly board's meeting after next, so the demo has an update deadline to come.
    "board_after": (DEVELOPMENT_BOARD, "Highlight reports and KPI dashboard", 16, "Online (Teams)"),
    "operational_last": (OPERATIONAL_GROUP, "Monthly operational review", -5, "Civic Centre"),
}

# The two meetings the seeds record (their covers); the others are illustrative.
MEETING_SOURCES = {
    "peer_review_scrutiny": ("thurrock-2017", "cover"),
    "wsoa_scrutiny": ("thurrock-2019", "cover"),
}
# Boards as the 2019 report sets them out (sections 2.2-2.4); cadences illustrative except the board's (2017, 3.7).
BOARD_SOURCES = {
    SCRUTINY_COMMITTEE: ("thurrock-2019", "section 2.2"),
    DEVELOPMENT_BOARD: ("thurrock-2019", "section 2.3"),
    OPERATIONAL_GROUP: ("thurrock-2019", "section 2.4"),
}

BRAG = "BRAG"
PROGRAMME_TRACKER = "Programme tracker"

# name: (description, [(colour, label, meaning, requires_reason, requires_recovery), …] in display order)
SCALES = {
    BRAG: (
        "The default delivery scale: blue when complete, then green, amber and red.",
        [
            ("blue", "Complete", "Delivered, with evidence of completion recorded.", False, False),
            ("green", "On track", "On track to be delivered by the due date.", False, False),
            ("amber", "At risk", "At risk of missing the due date; mitigation in place.", True, True),
            ("red", "Off track", "Will miss the due date without intervention.", True, True),
        ],
    ),
    PROGRAMME_TRACKER: (
        "The council's programme tracker scale, used for the SEND strategy delivery plan.",
        [
            ("grey", "Programmed", "Planned for later in the programme; not started yet.", False, False),
            ("green", "On target", "Delivering to the agreed timetable.", False, False),
            ("amber", "One month behind", "Up to one month behind the agreed timetable.", True, True),
            ("red", "Over a month behind", "More than one month behind the agreed timetable.", True, True),
            ("blue", "Suspended", "Paused by decision of the board.", True, False),
        ],
    ),
}


def build(demo: Demo) -> None:
    """Create the boards, a few meetings and the RAG scales with their levels."""
    for name, (kind, chair, cadence) in BOARDS.items():
        demo.boards[name] = ensure(
            Board, {"name": name}, {"kind": kind, "chair": chair, "meeting_cadence": cadence}
        )
        demo.cite(demo.boards[name], *BOARD_SOURCES[name])
    for key, (board, title, when, location) in MEETINGS.items():
        values = {"location": location}
        if isinstance(when, datetime.date):
            # A meeting of the record is found by its date (one a day per board), so its title can be corrected.
            lookup = {"board": demo.boards[board], "date": when}
            values["title"] = title
            on_create = {}
        else:
            lookup = {"board": demo.boards[board], "title": title}
            on_create = {"date": demo.day(when)}
        demo.meetings[key] = meeting = ensure(Meeting, lookup, values, on_create=on_create)
        if key in MEETING_SOURCES:
            demo.cite(meeting, *MEETING_SOURCES[key], note="Location illustrative.")
        else:
            demo.illustrative(meeting)
    for name, (description, levels) in SCALES.items():
        scale = ensure(RagScale, {"name": name}, {"description": description})
        for order, (colour, label, meaning, reason, recovery) in enumerate(levels):
            demo.levels[(name, colour)] = ensure(
                RagLevel,
                {"scale": scale, "colour": colour},
                {
                    "label": label,
                    "meaning": meaning,
                    "order": order,
                    "requires_reason": reason,
                    "requires_recovery": recovery,
                    # Flags a scale editor sets; here read from the words the councils use.
                    "counts_as_closed": label == "Complete",
                    "counts_as_on_track": colour == "green",
                    "counts_as_not_started": label in ("Not started", "Programmed"),
                },
            )
        demo.scales[name] = scale

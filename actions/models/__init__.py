"""What the area does about it: organisations, boards, plans, priorities, actions, updates and KPIs.

One module per topic; everything is re-exported here so `from actions.models import Action` keeps working.
"""

from actions.models.action import (
    Action,
    ActionUpdate,
    ActionUpdateQuerySet,
    AppendOnlyError,
    CurrentCriteria,
    SuccessCriterion,
    UpdateRefusedError,
)
from actions.models.boards import Board, Meeting
from actions.models.measures import ComparatorSeries, ComparatorValue, Measure, MeasureTarget, MeasureValue
from actions.models.people import Organisation, Person, ReminderSent
from actions.models.plans import DEFAULT_TOLERANCE_DAYS, MAX_TOLERANCE_DAYS, CadenceChange, Plan, Priority
from actions.models.scales import RagLevel, RagScale

__all__ = [
    "DEFAULT_TOLERANCE_DAYS",
    "MAX_TOLERANCE_DAYS",
    "Action",
    "ActionUpdate",
    "ActionUpdateQuerySet",
    "AppendOnlyError",
    "Board",
    "CadenceChange",
    "ComparatorSeries",
    "ComparatorValue",
    "CurrentCriteria",
    "Measure",
    "MeasureTarget",
    "MeasureValue",
    "Meeting",
    "Organisation",
    "Person",
    "Plan",
    "Priority",
    "RagLevel",
    "RagScale",
    "ReminderSent",
    "SuccessCriterion",
    "UpdateRefusedError",
]

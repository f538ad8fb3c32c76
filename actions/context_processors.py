from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from actions.models import Action
from core import roles as role_names
from core.roles import role_of
from core.templatetags.tracker import fixed_url

# The header's top-level items, in order: (label, URL name, the pages' `nav` keys that sit under it).
# At most six for any role; everything else is reached from these pages.
MY_ACTIONS = ("My actions", "actions:mine", ("mine",))
PLANS = ("Plans", "plans:list", ("plans", "import"))
ALL_ACTIONS = ("All actions", "actions:list", ("actions",))
UPDATE_CYCLE = ("Update cycle", "cycle:index", ("cycle", "boards"))
REPORTS = ("Reports", "reports:overview", ("overview", "reviews", "matrix", "coverage", "frameworks"))
PAPERS = ("Committee papers", "papers:list", ("papers",))


def navigation_items(user) -> list[dict]:
    """Return the header's items for `user`. Scrutiny members see My actions only when they lead an action
    (`leads_actions`, read with the user by actions.backends); every other role leads or assigns
    actions, so always sees it."""
    if not user.is_authenticated:
        return []
    plans_people = user.has_perm("actions.change_plan")
    leads = role_of(user) != role_names.SCRUTINY_MEMBER or _leads_actions(user)
    chosen = [
        MY_ACTIONS if leads else None,
        PLANS if plans_people else None,
        ALL_ACTIONS,
        UPDATE_CYCLE if user.has_perm(role_names.UPDATE_ANY_ACTION) else None,
        REPORTS,
        PAPERS,
    ]
    return [
        {"label": label, "url": fixed_url(name), "navs": navs} for label, name, navs in filter(None, chosen)
    ]


def _leads_actions(user) -> bool:
    known = getattr(user, "leads_actions", None)
    return Action.objects.live().led_by(user).exists() if known is None else known


def roles(request: HttpRequest) -> dict[str, object]:
    """Expose the signed-in user's role name and header items to every template (for display only; views
    check access)."""
    user = getattr(request, "user", None)
    return {
        "user_role": role_of(user) if user is not None else None,
        "service_navigation": SimpleLazyObject(lambda: navigation_items(user) if user is not None else []),
    }

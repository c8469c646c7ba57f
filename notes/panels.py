from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .rules import can_view_notes, can_write_notes
from .selectors import RECENT_SHOWN, notes_visible_to


@register_case_panel(order=8)
def notes_panel(user: User, case: Case) -> CasePanel | None:
    """The latest notes and contacts on the sides the user may see: one query."""
    if not can_view_notes(user, case):
        return None
    return CasePanel(
        template="notes/_case_panel.html",
        context={
            "case": case,
            "recent": list(notes_visible_to(user, case)[:RECENT_SHOWN]),
            "can_write": can_write_notes(user, case),
        },
    )

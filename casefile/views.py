"""The printable case summary: the case page's contents, as the user may see them, on one page laid
out for printing (no header, menu or buttons when printed: `@media print` in frontend/dacrre.scss)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.http import case_for, child_schools_shown
from cases.panels import case_panels_for
from cases.selectors import chronology_for
from dacrre.audit.models import AccessAction
from dacrre.core.http import AuthenticatedHttpRequest
from notes.selectors import notes_with_annotations
from victims.http import case_victims_confidential_shown

NOTES_PANEL = "notes/_case_panel.html"


@login_required
def case_summary(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = request.user
    case = case_for(
        request,
        case_id,
        what="Printable summary",
        can="casefile.print_summary",
        people=True,
        action=AccessAction.EXPORT,
    )
    schools = child_schools_shown(request, case)
    contacts = case_victims_confidential_shown(request, case)  # on this case, not any other the victim is in
    victims = [(link, contacts.get(link.victim_id)) for link in case.victims_shown]  # type: ignore[attr-defined]
    # The notes in full below, in place of their panel's latest few.
    panels = [panel for panel in case_panels_for(user, case) if panel.template != NOTES_PANEL]
    for panel in panels:  # a summary offers no change
        panel.context.update({key: False for key in panel.context if key.startswith("can_")})
    context = {
        "case": case,
        "victims": victims,
        "children": [(link, schools.get(link.child_id, "")) for link in case.children_shown],  # type: ignore[attr-defined]
        "chronology": list(chronology_for(user, case)[:200]),
        "panels": panels,
        "notes": list(notes_with_annotations(user, case)),
        "printed_at": timezone.now(),
    }
    return render(request, "casefile/summary.html", context)

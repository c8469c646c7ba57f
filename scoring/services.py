"""Opening cases from the ranked list, in one action."""

from collections.abc import Iterable

from django.db import transaction

from cases.models import Case, CaseStatus, Operation
from cases.services import case_open
from dacrre.accounts.models import Role, User
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.permissions.rules import can_view_scores
from incidents.models import Incident
from perpetrators.models import Perpetrator
from victims.models import Child, Victim


@transaction.atomic
def cases_open_for_perpetrators(
    *, actor: User, operation: Operation, perpetrators: Iterable[Perpetrator]
) -> tuple[list[Case], list[Perpetrator]]:
    """Open a case in the operation for each perpetrator who has no open case in it, with the victims
    and children of their incidents recorded by the actor's force, in the area of the latest one.
    Returns (cases opened, perpetrators skipped because they already have one)."""
    if not can_view_scores(actor) or actor.role != Role.SUPERVISOR or actor.agency is None:
        raise PermissionDeniedError("Only the force's supervisors open cases from the ranking.")
    if operation.lead_agency_id != actor.agency_id or not operation.is_active:
        raise ApplicationError("Choose an active operation of your force", field="operation")
    opened: list[Case] = []
    skipped: list[Perpetrator] = []
    for perpetrator in perpetrators:
        if Case.objects.filter(operation=operation, perpetrator=perpetrator).exclude(status=CaseStatus.CLOSED).exists():
            skipped.append(perpetrator)
            continue
        incidents = Incident.objects.filter(perpetrator=perpetrator, recording_agency=actor.agency)
        latest = incidents.select_related("area").order_by("-occurred_at").first()
        if latest is None:
            raise ApplicationError(f"{perpetrator} has no incidents recorded by your force")
        opened.append(
            case_open(
                actor=actor,
                operation=operation,
                perpetrator=perpetrator,
                owning_agency=actor.agency,
                area=latest.area,
                victims=Victim.objects.filter(incidents__in=incidents).distinct(),
                children=Child.objects.filter(incidents_present_at__in=incidents).distinct(),
            )
        )
    return opened, skipped

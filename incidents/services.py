import datetime
from collections.abc import Iterable

from django.db import transaction

from dacrre.accounts.models import Agency, Area, User
from perpetrators.models import Perpetrator
from victims.models import Child, Victim

from .models import Incident, OffenceCategory


@transaction.atomic
def incident_record(
    *,
    actor: User | None,
    source_reference: str,
    occurred_at: datetime.datetime,
    area: Area,
    recording_agency: Agency,
    offence_category: OffenceCategory | str,
    perpetrator: Perpetrator,
    victims: Iterable[Victim] = (),
    children_present: Iterable[Child] = (),
    injury: bool = False,
    weapon_used: bool = False,
    summary: str = "",
) -> Incident:
    incident = Incident(
        source_reference=source_reference,
        occurred_at=occurred_at,
        area=area,
        recording_agency=recording_agency,
        offence_category=offence_category,
        is_crime=offence_category != OffenceCategory.NON_CRIME,
        perpetrator=perpetrator,
        injury=injury,
        weapon_used=weapon_used,
        summary=summary,
    )
    incident._history_user = actor  # type: ignore[attr-defined]
    incident.full_clean()
    incident.save()
    incident.victims.set(victims)
    incident.children_present.set(children_present)
    # Local import: safety plans build on incidents, not the other way round.
    from safety_plans.services import school_notifications_raise

    school_notifications_raise(incident=incident)
    return incident

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError
from victims.selectors import victims_visible_to

from .models import Perpetrator

INCIDENTS_SHOWN = 100


@dataclass
class IncidentRow:
    incident: Any
    victims_shown: list[Any]
    victims_withheld: int


def perpetrator_get_for(user: User, public_id: uuid.UUID | str) -> Perpetrator:
    """A perpetrator is visible to whoever can see at least one of their cases."""
    try:
        return (
            Perpetrator.objects.select_related("person")
            .filter(cases__in=cases_visible_to(user))
            .distinct()
            .get(public_id=public_id)
        )
    except (Perpetrator.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Perpetrator not found.") from exc


def incidents_with_victims_for(user: User, perpetrator: Perpetrator) -> list[IncidentRow]:
    """The perpetrator's latest incidents, each naming only the victims the user may see (those in a
    case the user sees, victims.selectors); the others are counted, never named. Imported incidents
    often concern victims in no case the user works on. Three queries whatever the number."""
    incidents = list(perpetrator.incidents.select_related("area").prefetch_related("victims__person")[:INCIDENTS_SHOWN])
    victim_ids = {victim.pk for incident in incidents for victim in incident.victims.all()}
    visible = set(victims_visible_to(user).filter(pk__in=victim_ids).values_list("pk", flat=True))
    rows = []
    for incident in incidents:
        victims = list(incident.victims.all())
        shown = [victim for victim in victims if victim.pk in visible]
        rows.append(IncidentRow(incident=incident, victims_shown=shown, victims_withheld=len(victims) - len(shown)))
    return rows


def perpetrator_ids_visible_to(user: User, ids: Collection[int]) -> set[int]:
    """Of these perpetrators, those whose record the user may open (perpetrator_get_for's rule): for
    linking names on a list to the record, in one query."""
    return set(
        Perpetrator.objects.filter(pk__in=list(ids), cases__in=cases_visible_to(user))
        .values_list("pk", flat=True)
        .distinct()
    )

import uuid

from django.db.models import QuerySet

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Victim, VictimConfidential


def victim_get_for(user: User, public_id: uuid.UUID | str) -> Victim:
    """A victim is visible to whoever can see at least one case they are in."""
    try:
        return (
            Victim.objects.select_related("person")
            .filter(cases__in=cases_visible_to(user))
            .distinct()
            .get(public_id=public_id)
        )
    except (Victim.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Victim not found.") from exc


def victim_confidential_for(user: User, victim: Victim) -> VictimConfidential | None:
    """Contact details, or None when the user may not see them. Perpetrator-side agencies never may."""
    if user.is_perpetrator_side or user.agency_id is None:
        return None
    visible: QuerySet[VictimConfidential] = VictimConfidential.objects.filter(
        victim=victim, victim__cases__owning_agency_id=user.agency_id
    )
    return visible.first()

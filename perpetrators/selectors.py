import uuid

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Perpetrator


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

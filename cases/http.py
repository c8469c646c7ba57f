from django.http import Http404

from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Case
from .selectors import case_get_for


def case_or_404(user: User, public_id: object) -> Case:
    """The case if the user may see it; otherwise the same 404 as for a case that does not exist."""
    try:
        return case_get_for(user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc

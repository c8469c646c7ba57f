from django.db.models import Prefetch, QuerySet

from cases.models import Case
from dacrre.accounts.models import User

from .models import Annotation, Note
from .rules import sides_seen_by

RECENT_SHOWN = 5


def notes_visible_to(user: User, case: Case) -> QuerySet[Note]:
    """The case's notes on the sides the user may see (the caller has the case through `case_for`)."""
    return Note.objects.filter(case=case, side__in=sides_seen_by(user)).select_related("author", "case")


def notes_with_annotations(user: User, case: Case) -> QuerySet[Note]:
    """The full list: each note with its annotations, in two queries whatever the number."""
    return notes_visible_to(user, case).prefetch_related(
        Prefetch("annotations", queryset=Annotation.objects.select_related("author"))
    )

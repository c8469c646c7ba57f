"""Closed cases are read only: every service that writes to a case or its records asks first."""

from django.db import connection
from django.utils import timezone

from dacrre.core.exceptions import CaseClosedError

from .models import Case, CaseStatus


def case_closed_message(case: Case) -> str:
    closed_on = f" on {timezone.localtime(case.closed_at):%-d %b %Y}" if case.closed_at else ""
    return f"Case {case.reference} was closed{closed_on}: it is read only."


def case_require_open(case: Case, *, lock: bool = True) -> None:
    """Closed cases are read only. Every service that writes to a case or its records calls this
    first. It reads the case's status from the database, not the caller's copy, and on PostgreSQL
    holds a key-share lock on the case row until the writer's transaction ends: closing the case
    (which locks the row for update) waits for writes under way, and writes that come after it see
    the case closed. Other writers are not held up (their updates of the row do not conflict).

    Pages call it with `lock=False`, only to send the user back to a closed case before they fill a
    form in: a page holding the key-share lock while its service then locks the row for update (a
    closure request) would deadlock with the same page sent at the same moment."""
    if not lock:
        if case.status == CaseStatus.CLOSED:
            raise CaseClosedError(case_closed_message(case), case_public_id=case.public_id)
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status, closed_at FROM {Case._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
                [case.pk],
            )
            row = cursor.fetchone()
    else:
        row = Case.objects.filter(pk=case.pk).values_list("status", "closed_at").first()
    if row is not None and row[0] == CaseStatus.CLOSED:
        case.status, case.closed_at = row
        raise CaseClosedError(case_closed_message(case), case_public_id=case.public_id)

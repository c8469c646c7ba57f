"""Retention decisions: retain a closed case until its next review, or dispose of it.

Both lock the case's row and check again that it is due: of two reviewers deciding the same case
at the same moment, the second waits for the first and is then told what was decided (retained)
or that the case is gone (disposed of). Nothing is removed unless all of it is."""

import datetime
import logging
import uuid

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.dates import uk_date
from dacrre.core.exceptions import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from dacrre.core.tasks import enqueue_after_commit
from documents.services import stored_files_release
from documents.tasks import remove_stored_files
from reports.figures import case_figures_keep

from .disposal import disposal_plan, rows_delete
from .models import DisposalRecord, RetentionReview
from .rules import can_manage_records
from .schedule import case_rule_label, next_review_bounds
from .selectors import closed_cases_of, review_due_on, reviews_due_for

logger = logging.getLogger(__name__)
REASON_MIN = 20


def _due_case_locked(actor: User, case_id: uuid.UUID | str) -> Case:
    """The case, its row locked for this transaction, if it is (still) due for review."""
    if not can_manage_records(actor):
        raise PermissionDeniedError("Retention reviews are for the force's data protection officers.")
    case = closed_cases_of(actor).select_for_update(of=("self",)).filter(public_id=case_id).first()
    if case is None:
        raise NotFoundError("This case is no longer held: it has been disposed of.")
    if not reviews_due_for(actor).filter(pk=case.pk).exists():
        latest = RetentionReview.objects.filter(case=case).select_related("decided_by").first()
        if latest is not None:
            raise ConflictError(
                f"Case {case.reference} was retained by {latest.decided_by.get_full_name() or latest.decided_by}"
                f" on {uk_date(timezone.localdate(latest.decided_at))}: its next review is on "
                f"{uk_date(latest.next_review_on)}."
            )
        raise ConflictError(f"Case {case.reference} is not due for review.")
    return case


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ApplicationError(f"Enter the reason, in at least {REASON_MIN} characters", field="reason")
    return reason


@transaction.atomic
def case_retain(
    *, actor: User, case_id: uuid.UUID | str, reason: str, next_review_on: datetime.date
) -> RetentionReview:
    """Keep the case until `next_review_on` (from next month to RETENTION_RETAIN_MAX_MONTHS ahead),
    with the reason (the policing purpose it still serves)."""
    case = _due_case_locked(actor, case_id)
    reason = _reason(reason)
    earliest, latest = next_review_bounds()
    if not earliest <= next_review_on <= latest:
        raise ApplicationError(
            f"The next review date must be between {uk_date(earliest)} and {uk_date(latest)}", field="next_review_on"
        )
    return RetentionReview.objects.create(case=case, decided_by=actor, reason=reason, next_review_on=next_review_on)


@transaction.atomic
def case_dispose(*, actor: User, case_id: uuid.UUID | str, reason: str, request: object = None) -> DisposalRecord:
    """Remove the case's records, documents and stored files, and the people nothing kept names (see
    records.disposal); keep the report's figures and a disposal record without personal data; write
    the erasure to the access log (one row for the case, one per person removed)."""
    case = _due_case_locked(actor, case_id)
    reason = _reason(reason)
    plan = disposal_plan(case)
    files = plan.storage_names()
    case_figures_keep(case)
    record = DisposalRecord.objects.create(
        case_reference=case.reference,
        owning_agency_id=case.owning_agency_id,
        area_id=case.area_id,
        operation_id=case.operation_id,
        opened_at=case.opened_at,
        closed_at=case.closed_at or timezone.now(),
        risk_level=case.risk_level,
        schedule_rule=case_rule_label(case),
        due_on=review_due_on(case),
        reason=reason,
        disposed_by=actor,
        removed=plan.counts(),
        people_removed=len(plan.people_removed),
        people_kept=len(plan.people_kept),
        files_removed=len(files),
        earlier_reviews=RetentionReview.objects.filter(case=case).count(),
    )
    access_log_record(
        user=actor,
        action=AccessAction.ERASE,
        request=request,  # type: ignore[arg-type]
        object_type="case",
        object_id=case.public_id,
        object_label=f"Case {case.reference} disposed of",
        case_reference=case.reference,
        detail=f"{sum(plan.counts().values())} records, {len(files)} files; reason: {reason}",
    )
    for fate in plan.people_removed:
        access_log_record(
            user=actor,
            action=AccessAction.ERASE,
            request=request,  # type: ignore[arg-type]
            object_type="person",
            object_id=fate.person.public_id,
            object_label=f"{fate.person.full_name}: records disposed of with case {case.reference}",
            case_reference=case.reference,
            person_id=fate.person.public_id,
            person_label=fate.person.full_name,
        )
    rows_delete(plan.rows)
    stored_files_release(files)
    connection.check_constraints()  # a row that still refers to a removed one stops the disposal here
    enqueue_after_commit(remove_stored_files)
    logger.info("Case %s disposed of: %s rows, %s files", case.reference, sum(plan.counts().values()), len(files))
    return record

"""The one way a page reaches an equipment issue: through its case, then the issue on it, logged
once as the issue (cases.http.case_record_for). Missing and not visible answer the same 404."""

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from cases.http import case_record_for
from cases.models import Case

from .models import EquipmentIssue


def _issues_on(case: Case) -> QuerySet[EquipmentIssue]:
    return EquipmentIssue.objects.filter(case=case).select_related("item__fund", "victim__person", "issued_by")


def issue_for(
    request: HttpRequest, case_id: uuid.UUID, public_id: uuid.UUID, *, what: str, can: str, writing: bool = False
) -> EquipmentIssue:
    _case, issue = case_record_for(
        request,
        case_id,
        public_id,
        lambda case: EquipmentIssue.objects.filter(case=case).select_related(
            "item__fund", "victim__person", "issued_by"
        ),
        what=what,
        can=can,
        writing=writing,
        missing="Equipment not found.",
    )
    return issue

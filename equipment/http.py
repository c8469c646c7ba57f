"""The one way a page reaches an equipment issue: through its case (cases.http.case_for), then the
issue on it, logged. Missing and not visible answer the same 404."""

import uuid

from django.http import Http404, HttpRequest

from cases.http import case_for
from dacrre.audit.access import record_access

from .models import EquipmentIssue


def issue_for(
    request: HttpRequest, case_id: uuid.UUID, public_id: uuid.UUID, *, what: str, can: str, writing: bool = False
) -> EquipmentIssue:
    case = case_for(request, case_id, what=what, can=can, writing=writing)
    issue = (
        EquipmentIssue.objects.filter(case=case, public_id=public_id)
        .select_related("item__fund", "victim__person", "issued_by")
        .first()
    )
    if issue is None:
        raise Http404("Equipment not found.")
    issue.case = case
    record_access(request, issue, what=what)
    return issue

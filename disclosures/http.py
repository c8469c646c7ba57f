"""The one way a page reaches a Clare's Law application: fetch, decide, log, in one call
(cases/http.py explains the pattern)."""

import uuid

from django.http import HttpRequest

from cases.http import case_record_for
from cases.models import Case

from .models import DisclosureApplication


def application_for(
    request: HttpRequest, case_id: uuid.UUID | str, public_id: uuid.UUID | str, *, what: str
) -> tuple[Case, DisclosureApplication]:
    """The case and its application for the page `what`, logged as the application."""
    return case_record_for(
        request,
        case_id,
        public_id,
        lambda case: DisclosureApplication.objects.filter(case=case).select_related("person_at_risk__person"),
        what=what,
        can="cases.view_disclosures",
        missing="Application not found.",
    )

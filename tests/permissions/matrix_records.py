"""Records management in the permission matrix: retention reviews, disposal records and subject
access exports are for the force's data protection officers only (records.rules.can_manage_records);
every other role is refused (403), whatever it sees of the cases."""

import datetime

from django.utils import timezone

from records.models import DisposalRecord, SubjectAccessRequest
from tests.factories import CaseFactory
from tests.permissions.test_matrix import ACTORS
from tests.records.conftest import close_long_ago


def _records(world):
    if getattr(world, "_records", None) is None:
        case = world.case
        due = close_long_ago(CaseFactory(area=case.area, operation=case.operation), actor=case.spoc)
        now = timezone.now()
        disposal = DisposalRecord.objects.create(
            case_reference="DA-15-99999",
            owning_agency=case.owning_agency,
            area=case.area,
            operation=case.operation,
            opened_at=now - datetime.timedelta(days=4000),
            closed_at=now - datetime.timedelta(days=3900),
            risk_level="standard",
            schedule_rule="Closed case: reviewed 120 months after closure",
            due_on=timezone.localdate(),
            reason="No policing purpose remains after the review period.",
            disposed_by=case.spoc,
        )
        request = SubjectAccessRequest.objects.create(
            person=case.perpetrator.person, agency=case.owning_agency, reference="SAR-1", requested_by=case.spoc
        )
        world._records = (due, disposal, request)
    return world._records


def entries(world) -> dict:
    due, disposal, request = _records(world)
    dpo_only = {a: 200 if a == "dpo" else 403 for a in ACTORS}
    return {
        "records:reviews": ("get", [], dpo_only),
        # Empty POSTs: the form comes back with its errors for the data protection officer.
        "records:review": ("get", [due.public_id], dpo_only),
        "records:dispose": ("get", [due.public_id], dpo_only),
        "records:disposals": ("get", [], dpo_only),
        "records:disposal": ("get", [disposal.public_id], dpo_only),
        "records:subject_access": ("get", [], dpo_only),
        "records:subject_access_person": ("get", [world.case.perpetrator.person.public_id], dpo_only),
        "records:subject_access_request": ("get", [request.public_id], dpo_only),
        "records:subject_access_download": ("get", [request.public_id], dpo_only),
    }

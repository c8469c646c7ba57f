import pytest
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError
from incidents.models import OffenceCategory
from incidents.services import incident_record
from safety_plans.models import SchoolNotification
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    ChildConfidentialFactory,
    ChildFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.fixture
def family(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    child = CaseChildFactory(case=case).child
    ChildConfidentialFactory(child=child, school="Meadow Primary")
    return officer, case, child


def _incident(case, children, ref="INC/1"):
    return incident_record(
        actor=None,
        source_reference=ref,
        occurred_at=timezone.now(),
        area=case.area,
        recording_agency=case.owning_agency,
        offence_category=OffenceCategory.COMMON_ASSAULT,
        perpetrator=case.perpetrator,
        children_present=children,
    )


@pytest.mark.django_db
def test_a_child_present_at_an_incident_raises_one_school_notification(family) -> None:
    officer, case, child = family
    incident = _incident(case, [child])
    _incident(case, [ChildFactory()], ref="INC/2")  # a child not in this case
    notification = SchoolNotification.objects.get()
    assert (notification.case, notification.child, notification.incident) == (case, child, incident)
    from safety_plans.services import school_notification_record, school_notifications_raise

    school_notifications_raise(incident=incident)  # again: idempotent
    assert SchoolNotification.objects.count() == 1
    school_notification_record(actor=officer, notification=notification, notified_on=timezone.localdate())
    with pytest.raises(ApplicationError, match="already been recorded"):
        school_notification_record(actor=officer, notification=notification, notified_on=timezone.localdate())


@pytest.mark.django_db
def test_children_page_shows_school_and_incidents_and_records_notification(family, login) -> None:
    officer, case, child = family
    _incident(case, [child], ref="INC/77")
    client = login(officer)
    html = client.get(f"/cases/{case.public_id}/safety-plans/children/").content.decode()
    assert "Meadow Primary" in html and "INC/77" in html and "To do" in html
    notification = SchoolNotification.objects.get()
    bad = client.post(
        f"/cases/{case.public_id}/safety-plans/children/",
        {"notification": str(notification.public_id), "notified_on": "", "notes": "DSL Mrs Patel"},
    )
    assert "Enter the date the school was told" in bad.content.decode()
    assert "DSL Mrs Patel" in bad.content.decode()
    ok = client.post(
        f"/cases/{case.public_id}/safety-plans/children/",
        {
            "notification": str(notification.public_id),
            "notified_on": timezone.localdate().strftime("%d/%m/%Y"),
            "notes": "DSL Mrs Patel",
        },
    )
    assert ok.status_code == 302
    notification.refresh_from_db()
    assert notification.notified_by == officer


@pytest.mark.django_db
def test_perpetrator_side_never_sees_the_children_page(family, login) -> None:
    _, case, _ = family
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation, shares_victim_contact=True)
    om = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    assert login(om).get(f"/cases/{case.public_id}/safety-plans/children/").status_code == 403

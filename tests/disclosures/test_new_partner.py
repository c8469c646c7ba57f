"""Clare's Law for the person who is not yet on the case: an incident links the perpetrator to a new
partner, the SPOC is tasked to consider telling her, and the form opens filled in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from disclosures.models import DisclosureApplication
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.sweeps import reminders_sweep
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
    grant_case_to,
)


@pytest.fixture
def linked(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    known = CaseVictimFactory(case=case).victim
    new_partner = VictimFactory(person__given_name="Rowena", person__family_name="Newlove")
    incident = IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
    incident.victims.add(new_partner, known)
    return officer, case, known, new_partner, incident


def test_the_spoc_is_tasked_once_for_the_new_partner_only(linked) -> None:
    officer, case, known, new_partner, incident = linked
    reminders_sweep()
    task = Reminder.objects.get(kind=ReminderKind.NEW_PARTNER_DISCLOSURE)
    assert task.assignee == officer and task.subject_key == f"person:{new_partner.pk}"
    assert task.due_on == timezone.localtime(incident.occurred_at).date() + datetime.timedelta(days=7)
    assert reminders_sweep()[ReminderKind.NEW_PARTNER_DISCLOSURE] == 0
    assert "Rowena" not in task.get_kind_display()  # tasks and their e-mails name nobody


def test_the_officer_opens_the_form_filled_in_and_the_new_partner_joins_the_case(linked, login) -> None:
    officer, case, known, new_partner, _incident = linked
    reminders_sweep()
    client = login(officer)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    link = f"?route=right_to_know&amp;person_at_risk={new_partner.public_id}"
    assert "Rowena Newlove" in page and link in page
    form = client.get(reverse("disclosures:new", args=[case.public_id]) + link.replace("&amp;", "&")).content.decode()
    assert f'value="{new_partner.public_id}" checked' in form or f'value="{new_partner.public_id}" selected' in form
    response = client.post(
        reverse("disclosures:new", args=[case.public_id]),
        {
            "route": "right_to_know",
            "person_at_risk": str(new_partner.public_id),
            "applicant_name": "Police (right to know)",
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    application = DisclosureApplication.objects.get()
    assert application.person_at_risk == new_partner
    assert case.case_victims.filter(victim=new_partner).exists()
    task = Reminder.objects.get(kind=ReminderKind.NEW_PARTNER_DISCLOSURE)
    assert task.status == ReminderStatus.DONE
    assert reminders_sweep()[ReminderKind.NEW_PARTNER_DISCLOSURE] == 0
    assert (
        "Consider a right-to-know disclosure"
        not in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )


def test_perpetrator_side_agencies_are_not_told_of_the_new_partner(linked, login) -> None:
    _officer, case, _known, _new_partner, _incident = linked
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation)
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    page = login(worker).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Rowena" not in page


def test_someone_not_yet_recorded_is_added_to_the_case_from_the_application_form(linked, login) -> None:
    officer, case, *_ = linked
    page = login(officer).get(reverse("disclosures:new", args=[case.public_id])).content.decode()
    assert reverse("intake:add_victim", args=[case.public_id]) in page and "Add them to the case first" in page

import io
from typing import cast

import pytest
from openpyxl import load_workbook

from dacrre.accounts.models import Agency, Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import CaseFactory, PerpetratorFactory, PersonFactory, UserFactory


@pytest.fixture
def officer_with_cases(db):
    officer = UserFactory(scope=Scope.AREA)
    evil = PerpetratorFactory(person=PersonFactory(given_name='=HYPERLINK("http://x")', family_name="Smith"))
    mine = CaseFactory(area=officer.area, perpetrator=evil)
    other = CaseFactory()  # another force
    return officer, mine, other


def test_case_list_csv_has_only_visible_cases_neutralises_formulas_and_is_logged(officer_with_cases, login) -> None:
    officer, mine, other = officer_with_cases
    response = login(officer).get("/cases/?format=csv")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert mine.reference in body and other.reference not in body
    assert "'=HYPERLINK" in body  # written as text, never run as a formula
    assert AccessLog.objects.filter(user=officer, action=AccessAction.EXPORT, object_type="cases").exists()


def test_case_list_excel_export_writes_formulas_as_text(officer_with_cases, login) -> None:
    officer, mine, other = officer_with_cases
    response = login(officer).get("/cases/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["Reference", "Perpetrator"]
    references = {row[0] for row in values[1:]}
    assert references == {mine.reference}
    perpetrator = values[1][1]
    assert perpetrator.startswith("'=HYPERLINK") and sheet.cell(row=2, column=2).data_type == "s"


def test_team_caseload_and_tasks_export(officer_with_cases, login) -> None:
    officer, mine, _ = officer_with_cases
    supervisor = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    mine.spoc = officer
    mine.save()
    body = login(supervisor).get("/team/?format=csv").content.decode()
    assert "Open cases" in body.splitlines()[0] and officer.get_full_name() in body
    assert login(officer).get("/team/?format=csv").status_code == 403
    tasks = login(officer).get("/tasks/?format=xlsx")
    assert tasks.status_code == 200 and tasks["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_referral_inbox_and_ranking_downloads(login) -> None:
    import datetime

    from django.utils import timezone

    from scoring.services import scores_refresh
    from tests.factories import IncidentFactory

    analyst = UserFactory(role=Role.ANALYST, scope=Scope.AGENCY)
    incident = IncidentFactory(area=analyst.area, occurred_at=timezone.now() - datetime.timedelta(days=3))
    scores_refresh(agency=cast(Agency, analyst.agency))
    ranking = login(analyst).get("/scoring/?format=csv").content.decode()
    assert ranking.splitlines()[0].startswith("Rank,Perpetrator") and incident.perpetrator.person.full_name in ranking
    officer = UserFactory(area=analyst.area)
    inbox = login(officer).get("/referrals/?format=xlsx")
    assert inbox.status_code == 200 and inbox["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(officer).get("/scoring/?format=csv").status_code == 403


@pytest.mark.django_db
def test_my_caseload_downloads_only_my_cases(officer_with_cases, login) -> None:
    officer, mine, other = officer_with_cases
    mine.spoc = officer
    mine.save()
    body = login(officer).get("/?format=csv").content.decode()
    assert mine.reference in body and other.reference not in body


@pytest.mark.django_db
def test_meetings_duplicates_and_tasking_lists_download(login) -> None:
    from people.models import DuplicateCandidate

    analyst = UserFactory(role=Role.ANALYST, scope=Scope.AGENCY)
    a, b = PersonFactory(given_name="Jon"), PersonFactory(given_name="John")
    DuplicateCandidate.objects.create(first=a, second=b, reason="similar names", agency=cast(Agency, analyst.agency))
    client = login(analyst)
    body = client.get("/people/duplicates/?format=csv").content.decode()
    assert "similar names" in body and a.full_name in body
    officer = UserFactory(area=analyst.area)
    meetings = login(officer).get("/meetings/?format=csv")
    assert meetings.status_code == 200 and meetings.content.decode().startswith("Meeting,Date")
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, object_type="possible duplicates").exists()

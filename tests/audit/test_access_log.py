import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog, AppendOnlyError
from dacrre.audit.services import access_log_record
from risk.models import RiskBands
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
)


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    link = CaseVictimFactory(case=case)
    return officer, case, link.victim


@pytest.mark.django_db
def test_viewing_a_case_writes_who_what_when_and_where(login, officer_case) -> None:
    officer, case, _ = officer_case
    login(officer).get(f"/cases/{case.public_id}/", REMOTE_ADDR="10.1.2.3")
    row = AccessLog.objects.get(action=AccessAction.VIEW, object_type="case")
    assert row.user == officer
    assert row.username == officer.username
    assert row.agency == officer.agency
    assert row.agency_name == officer.agency.name
    assert row.case_reference == case.reference
    assert row.object_id == str(case.public_id)
    assert row.ip_address == "10.1.2.3"
    assert row.path == f"/cases/{case.public_id}/"
    assert row.flagged_for_review is False


@pytest.mark.django_db
def test_viewing_a_victim_logs_the_person_and_the_confidential_details_separately(login, officer_case) -> None:
    officer, _, victim = officer_case
    login(officer).get(f"/victims/{victim.public_id}/")
    actions = set(AccessLog.objects.filter(person_id=str(victim.person.public_id)).values_list("action", flat=True))
    assert actions == {AccessAction.VIEW, AccessAction.VIEW_CONFIDENTIAL}


@pytest.mark.django_db
def test_a_perpetrator_side_view_of_a_victim_logs_no_confidential_access(login) -> None:
    offender_manager = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    link = CaseVictimFactory(case=CaseFactory(offender_manager=offender_manager))
    login(offender_manager).get(f"/victims/{link.victim.public_id}/")
    actions = list(AccessLog.objects.filter(object_type="victim").values_list("action", flat=True))
    assert actions == [AccessAction.VIEW]


@pytest.mark.django_db
def test_viewing_a_perpetrator_and_listing_cases_are_logged(login, officer_case) -> None:
    officer, case, _ = officer_case
    client = login(officer)
    client.get(f"/perpetrators/{case.perpetrator.public_id}/")
    client.get("/cases/?q=Family")
    assert AccessLog.objects.filter(action=AccessAction.VIEW, object_type="perpetrator").count() == 1
    assert "search 'Family'" in AccessLog.objects.get(action=AccessAction.LIST, object_type="case list").detail


@pytest.mark.django_db
def test_if_the_log_cannot_be_written_the_data_is_not_shown(login, officer_case, client) -> None:
    officer, case, _ = officer_case
    login(officer)

    def refuse(execute, sql, params, many, context):
        # Refused by the database itself, whichever way the rows are written (a page's row and the
        # people it shows go in one INSERT).
        if 'INSERT INTO "audit_accesslog"' in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(refuse):
        response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 500
    assert case.perpetrator.person.family_name.encode() not in response.content


@pytest.mark.django_db
def test_log_rows_cannot_be_changed_or_deleted_through_the_application() -> None:
    row = access_log_record(user=None, action=AccessAction.VIEW, object_label="Case DA-26-00001")
    row.object_label = "nothing to see"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert AccessLog.objects.get().object_label == "Case DA-26-00001"


@pytest.mark.django_db
def test_the_admin_cannot_read_add_change_or_delete_log_rows(login) -> None:
    """The access log is the auditors' (on /audit/); it is not in the admin at all."""
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    row = access_log_record(user=None, action=AccessAction.VIEW, object_label="Case DA-26-00001")
    client = login(admin)
    assert client.get("/admin/audit/accesslog/").status_code == 404
    assert client.get("/admin/audit/accesslog/add/").status_code == 404
    assert client.post(f"/admin/audit/accesslog/{row.pk}/change/", {"object_label": "x"}).status_code == 404
    assert client.post(f"/admin/audit/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 404
    row.refresh_from_db()
    assert row.object_label == "Case DA-26-00001"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_trigger_refuses_update_and_delete_even_in_raw_sql() -> None:
    row = access_log_record(user=None, action=AccessAction.VIEW, object_label="Case DA-26-00001")
    for statement in (
        "UPDATE audit_accesslog SET object_label = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [row.pk])
    assert AccessLog.objects.get().object_label == "Case DA-26-00001"


@pytest.mark.django_db
def test_changes_to_domain_records_keep_history_with_the_acting_user(login) -> None:
    """A setting changed in the admin (people and cases are not edited there) keeps its history."""
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    bands = RiskBands.objects.create(medium_from=10, high_from=14)
    response = login(admin).post(f"/admin/risk/riskbands/{bands.pk}/change/", {"medium_from": 9, "high_from": 14})
    assert response.status_code == 302, response.content
    latest = bands.history.latest()
    assert latest.medium_from == 9
    assert latest.history_user == admin
    assert bands.history.count() == 2


@pytest.fixture
def auditor(db):
    return UserFactory(role=Role.AUDITOR, scope=Scope.NONE)


@pytest.mark.django_db
def test_auditor_finds_who_looked_at_a_victim(login, officer_case, auditor) -> None:
    officer, case, victim = officer_case
    login(officer).get(f"/victims/{victim.public_id}/")
    other = CaseVictimFactory(case=case).victim
    login(officer).get(f"/victims/{other.public_id}/")

    html = login(auditor).get("/audit/", {"person": victim.person.full_name}).content.decode()
    assert f"Contact details: Victim {victim.person.full_name}" in html
    assert officer.username in html
    assert other.person.full_name not in html


@pytest.mark.django_db
def test_auditor_filters_by_case_user_agency_and_date(login, officer_case, auditor) -> None:
    officer, case, _ = officer_case
    login(officer).get(f"/cases/{case.public_id}/")
    client = login(auditor)
    assert case.reference in client.get("/audit/", {"case_reference": case.reference}).content.decode()
    assert "Entries (0)" in client.get("/audit/", {"case_reference": "DA-00-00000"}).content.decode()
    assert "Entries (0)" not in client.get("/audit/", {"username": officer.username}).content.decode()
    assert "Entries (0)" not in client.get("/audit/", {"agency": officer.agency_id}).content.decode()
    assert "Entries (0)" in client.get("/audit/", {"date_to": "1/1/2020"}).content.decode()
    bad = client.get("/audit/", {"date_from": "31/13/2026"}).content.decode()
    assert "There is a problem" in bad
    assert "Enter the &#x27;from&#x27; date as day/month/year" in bad
    assert 'value="31/13/2026"' in bad


@pytest.mark.django_db
def test_auditor_exports_the_results_with_formulas_neutralised_and_the_export_is_logged(login, auditor) -> None:
    access_log_record(user=None, action=AccessAction.LOGIN_FAILED, username='=HYPERLINK("http://x")')
    response = login(auditor).get("/audit/", {"format": "csv", "action": AccessAction.LOGIN_FAILED})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["When", "User", "Agency", "Action"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    export = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert export.user == auditor
    assert "action=login_failed" in export.detail


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ADMIN, Role.ANALYST])
def test_only_auditors_read_the_access_log(login, role) -> None:
    user = UserFactory(role=role, is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN)
    client = login(user)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/", {"format": "csv"}).status_code == 403
    assert client.get("/audit/break-glass/").status_code == 403


@pytest.mark.django_db
def test_searching_the_log_by_a_victims_name_finds_the_case_page_that_showed_them(login, officer_case, auditor) -> None:
    """The case page names the victims and children (and panels show their visits and plans): each
    person shown is on the log, so "who looked at this victim?" finds the case-page view."""
    officer, case, victim = officer_case
    child = CaseChildFactory(case=case).child
    login(officer).get(f"/cases/{case.public_id}/")
    rows = AccessLog.objects.filter(object_type="person shown", object_id=str(case.public_id))
    assert {row.person_id for row in rows} == {str(victim.person.public_id), str(child.person.public_id)}
    assert all(row.user == officer and row.case_reference == case.reference for row in rows)

    html = login(auditor).get("/audit/", {"person": victim.person.full_name}).content.decode()
    assert f"Victim {victim.person.full_name} shown on Case {case.reference}" in html
    assert officer.username in html


@pytest.mark.django_db
def test_lists_log_every_perpetrator_they_show(login, officer_case) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    client.get("/cases/")
    client.get("/caseload/")
    client.get(f"/victims/{victim.public_id}/")
    shown = AccessLog.objects.filter(object_type="person shown", person_id=str(case.perpetrator.person.public_id))
    pages = sorted(label.split(" shown on ")[1] for label in shown.values_list("object_label", flat=True))
    assert pages == [f"Victim {victim.person.full_name}", "case list", "caseload"]
    assert set(shown.values_list("case_reference", flat=True)) == {case.reference}


@pytest.mark.django_db
def test_the_referral_inbox_logs_the_people_its_referrals_are_about(login, officer_case) -> None:
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_create, referral_send
    from tests.factories import VictimSideAgencyFactory

    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    caseworker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER)
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=victim.person,
        to_agency=housing,
        reason="Rehousing",
        urgency=Urgency.HIGH,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )
    referral_send(actor=officer, referral=referral)
    login(caseworker).get("/referrals/")
    shown = AccessLog.objects.get(object_type="person shown", person_id=str(victim.person.public_id))
    assert (shown.user, shown.action, shown.case_reference) == (caseworker, AccessAction.LIST, case.reference)
    assert shown.object_label == f"Victim {victim.person.full_name} shown on referral inbox"

"""Every date a user types is bounded to what is plausible, in the form and in the service.

01/01/0001 was accepted as a visit date (next due 0001-02-26); a date in 2090 was stored. Each kind of
date has its bounds in `dacrre.core.dates`; the forms refuse outside them with a message naming the
bounds, and the services refuse the same dates whatever the caller (API, crafted POST, script).
"""

import ast
import datetime
import importlib
import inspect
from pathlib import Path
from typing import cast

import pytest
from django import forms
from django.utils import timezone

from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError
from dacrre.core.forms import BoundedDateField, uk_date_field
from disclosures.models import Route
from meetings.models import MeetingKind
from offender_management.models import InterventionType, Programme
from orders.models import OrderKind, ProtectiveOrder
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, UserFactory
from visits.models import Visit, VisitOutcome

PROJECT = Path(__file__).resolve().parents[2]
TODAY = timezone.localdate()
FAR_FUTURE = datetime.date(2090, 1, 1)
YEAR_ONE = datetime.date(1, 1, 1)


def test_the_message_names_the_bounds() -> None:
    today = datetime.date(2026, 3, 27)
    assert dates.VISIT_OCCURRED.message(today) == "The date of the visit must be between 27/3/2025 and today"
    assert dates.VISIT_PLANNED.message(today) == "The date of the planned visit must be between today and 27/3/2027"
    assert dates.REPORT_STARTS.message(today) == "The start date must be between 1/1/2000 and 27/3/2027"
    assert dates.VISIT_OCCURRED.problem(datetime.date(2026, 3, 1), today=today) is None
    assert dates.VISIT_OCCURRED.problem(datetime.date(2025, 3, 26), today=today) is not None
    assert dates.DATE_OF_BIRTH.problem(datetime.date(2090, 1, 1), today=today) is not None
    # 29 February a year on is 28 February.
    assert dates.add_years(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


def test_a_form_field_refuses_year_one_and_the_far_future_and_accepts_today() -> None:
    class VisitDate(forms.Form):
        day = uk_date_field("Date of the visit", bounds=dates.VISIT_OCCURRED)

    for typed in ("01/01/0001", "1/1/2090"):
        form = VisitDate({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == [dates.VISIT_OCCURRED.message()]
    assert VisitDate({"day": TODAY.strftime("%d/%m/%Y")}).is_valid()


def _project_form_classes() -> list[type[forms.Form]]:
    found = []
    for path in sorted(PROJECT.glob("**/forms.py")):
        if any(part in {".venv", "node_modules", "tests"} for part in path.parts):
            continue
        module = importlib.import_module(".".join(path.relative_to(PROJECT).with_suffix("").parts))
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(cast(type[forms.Form], value))  # a ModelForm is no Form, but has base_fields
    return found


def test_every_date_field_of_every_form_is_bounded() -> None:
    """The guard: a date field added without bounds fails here."""
    classes = _project_form_classes()
    assert len(classes) > 20
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField) and not isinstance(field, BoundedDateField)
    ]
    assert unbounded == []
    # Fields built in __init__ (safety-plan measures) are not in base_fields: no form builds a date
    # field other than through uk_date_field.
    for path in sorted(PROJECT.glob("**/*.py")):
        if any(part in {".venv", "node_modules", "tests", "migrations"} for part in path.parts):
            continue
        if path == PROJECT / "dacrre" / "core" / "forms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"DateField", "DateTimeField", "SplitDateTimeField"}:
                assert not (isinstance(node.value, ast.Name) and node.value.id == "forms"), f"{path}: use uk_date_field"


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@pytest.mark.django_db
def test_visit_services_refuse_implausible_dates(officer_case) -> None:
    from visits.services import visit_log, visit_plan

    officer, case, _victim = officer_case
    with pytest.raises(ApplicationError, match="date of the visit must be between") as refused:
        visit_log(actor=officer, case=case, victim=None, occurred_at=_at(YEAR_ONE), outcome=VisitOutcome.SEEN)
    assert refused.value.field == "occurred_on"
    with pytest.raises(ApplicationError, match="planned visit must be between today and"):
        visit_plan(actor=officer, case=case, victim=None, planned_for=_at(FAR_FUTURE))
    assert not Visit.objects.exists()
    visit_log(actor=officer, case=case, victim=None, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN)
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_a_crafted_visit_post_dated_year_one_is_refused_with_the_message(officer_case, login) -> None:
    officer, case, _victim = officer_case
    client = login(officer)
    response = client.post(
        f"/cases/{case.public_id}/visits/new/",
        {"subject": "perpetrator", "occurred_on": "01/01/0001", "outcome": VisitOutcome.SEEN, "notes": "Typed"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The date of the visit must be between" in html and "Typed" in html
    assert not Visit.objects.exists()
    ok = client.post(
        f"/cases/{case.public_id}/visits/new/",
        {"subject": "perpetrator", "occurred_on": TODAY.strftime("%d/%m/%Y"), "outcome": VisitOutcome.SEEN},
    )
    assert ok.status_code == 302 and Visit.objects.count() == 1


@pytest.mark.django_db
def test_order_services_refuse_implausible_dates(officer_case) -> None:
    from orders.services import order_breach_record, order_record

    officer, case, _victim = officer_case
    with pytest.raises(ApplicationError, match="end date must be between") as refused:
        order_record(
            actor=officer, case=case, kind=OrderKind.BAIL, starts_on=TODAY, ends_on=FAR_FUTURE, conditions="No contact"
        )
    assert refused.value.field == "ends_on"
    with pytest.raises(ApplicationError, match="start date must be between"):
        order_record(actor=officer, case=case, kind=OrderKind.BAIL, starts_on=YEAR_ONE, ends_on=None, conditions="x")
    order = order_record(
        actor=officer,
        case=case,
        kind=OrderKind.BAIL,
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY + datetime.timedelta(days=30),
        conditions="No contact",
    )
    with pytest.raises(ApplicationError, match="date of the breach must be between"):
        order_breach_record(actor=officer, order=order, occurred_on=YEAR_ONE, details="x", action_taken="y")
    assert ProtectiveOrder.objects.count() == 1


@pytest.mark.django_db
def test_other_services_refuse_year_one(officer_case) -> None:
    from disclosures.services import application_record
    from meetings.services import meeting_schedule
    from offender_management.services import intervention_record, programme_allocate
    from people.services import person_create
    from risk.services import marac_referral_record

    officer, case, victim = officer_case
    checks = [
        lambda day: application_record(
            actor=officer,
            case=case,
            route=Route.RIGHT_TO_ASK,
            person_at_risk=victim,
            applicant_name="A",
            applicant_relationship="",
            subject_relationship="",
            received_on=day,
        ),
        lambda day: intervention_record(
            actor=officer,
            perpetrator=case.perpetrator,
            case=case,
            kind=InterventionType.SUPPORT,
            occurred_on=day,
            description="x",
        ),
        lambda day: programme_allocate(
            actor=UserFactory(area=officer.area, role="supervisor", scope="area"),
            perpetrator=case.perpetrator,
            programme=Programme.MATAC,
            starts_on=day,
            ends_on=None,
            lead_agency=officer.agency,
        ),
        lambda day: person_create(actor=officer, given_name="A", family_name="B", date_of_birth=day),
        lambda day: marac_referral_record(actor=officer, case=case, referred_on=day),
        lambda day: meeting_schedule(
            actor=UserFactory(area=officer.area, role="supervisor", scope="area"),
            kind=MeetingKind.MARAC,
            held_on=day,
            attending_agencies=[],
        ),
    ]
    for check in checks:
        with pytest.raises(ApplicationError, match="must be between"):
            check(YEAR_ONE)
        # Some services had a "cannot be in the future" check already: it speaks first.
        with pytest.raises(ApplicationError, match="must be between|in the future"):
            check(FAR_FUTURE)


@pytest.mark.django_db
def test_a_report_period_before_2000_is_refused(login) -> None:
    analyst = UserFactory(area=AreaFactory(), role="analyst", scope="agency")
    client = login(analyst)
    response = client.get("/reports/", {"start": "1/1/1999", "end": TODAY.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert "The start date must be between 1/1/2000 and" in response.content.decode()

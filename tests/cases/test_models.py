import pytest
from django.db import IntegrityError, transaction

from cases.models import Case, CaseStatus, ChronologyEntry, ChronologyKind
from cases.services import case_change_status, case_open
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError
from perpetrators.models import Perpetrator
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    OperationFactory,
    PerpetratorFactory,
    PersonFactory,
    UserFactory,
    VictimFactory,
)
from victims.models import Victim


@pytest.mark.django_db
def test_case_open_issues_a_reference_links_people_and_writes_the_chronology() -> None:
    area = AreaFactory()
    officer = UserFactory(area=area)
    victim = VictimFactory()
    case = case_open(
        actor=officer,
        operation=OperationFactory(lead_agency=area.agency),
        perpetrator=PerpetratorFactory(),
        owning_agency=area.agency,
        area=area,
        victims=[victim],
        spoc=officer,
    )
    assert case.reference.startswith("DA-")
    assert list(case.victims.all()) == [victim]
    entry = ChronologyEntry.objects.get(case=case)
    assert entry.kind == ChronologyKind.CASE_OPENED
    assert entry.actor == officer
    assert case.history.get().history_user == officer


@pytest.mark.django_db
def test_case_area_must_belong_to_the_owning_agency() -> None:
    with pytest.raises(ApplicationError, match="area must belong"):
        case_open(
            actor=None,
            operation=OperationFactory(),
            perpetrator=PerpetratorFactory(),
            owning_agency=AreaFactory().agency,
            area=AreaFactory(),
        )
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status() -> None:
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="lost")


@pytest.mark.django_db
def test_a_closed_case_must_have_a_closing_time() -> None:
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)


@pytest.mark.django_db
def test_status_changes_follow_the_allowed_transitions() -> None:
    case = CaseFactory()
    case = case_change_status(actor=None, case=case, to_status=CaseStatus.ACTIVE, reason="Allocated")
    assert case.status == CaseStatus.ACTIVE
    case = case_change_status(actor=None, case=case, to_status=CaseStatus.CLOSED, reason="Risk reduced")
    assert case.closed_at is not None
    with pytest.raises(InvalidTransitionError, match="closed cannot become active"):
        case_change_status(actor=None, case=case, to_status=CaseStatus.ACTIVE, reason="")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.chronology.filter(kind=ChronologyKind.STATUS_CHANGED).count() == 2


@pytest.mark.django_db
def test_one_person_can_be_victim_in_one_case_and_perpetrator_in_another() -> None:
    person = PersonFactory()
    as_victim = CaseVictimFactory(victim=VictimFactory(person=person)).case
    as_perpetrator = CaseFactory(perpetrator=PerpetratorFactory(person=person))
    assert Victim.objects.get(person=person).cases.get() == as_victim
    assert Perpetrator.objects.get(person=person).cases.get() == as_perpetrator


@pytest.mark.django_db
def test_a_victim_is_linked_to_a_case_only_once() -> None:
    link = CaseVictimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseVictimFactory(case=link.case, victim=link.victim)


@pytest.mark.django_db
def test_police_identifiers_are_unique() -> None:
    PersonFactory(police_identifier="NP1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(police_identifier="NP1")
    # People without one are not in conflict with each other.
    PersonFactory(police_identifier=None)
    PersonFactory(police_identifier=None)

import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case
from dacrre.core.models import ReferenceCounter, reference_next


@pytest.mark.django_db
def test_references_are_sequential_and_carry_the_year() -> None:
    year = timezone.localdate().year % 100
    first = reference_next(prefix="DA")
    second = reference_next(prefix="DA")
    assert first == f"DA-{year:02d}-00001"
    assert second == f"DA-{year:02d}-00002"


@pytest.mark.django_db
def test_each_prefix_has_its_own_sequence() -> None:
    reference_next(prefix="DA")
    assert reference_next(prefix="RF").endswith("-00001")


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one() -> None:
    year = timezone.localdate().year % 100
    ReferenceCounter.objects.create(prefix="DA", year=year - 1, last_value=812)
    assert reference_next(prefix="DA") == f"DA-{year:02d}-00001"


@pytest.mark.django_db
def test_case_references_are_unique_in_the_database() -> None:
    from django.db import IntegrityError

    from tests.factories import CaseFactory

    case = CaseFactory()
    assert re.fullmatch(r"DA-\d{2}-\d{5}", case.reference)
    with pytest.raises(IntegrityError):
        CaseFactory(reference=case.reference)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_get_the_same_reference() -> None:
    issued: list[str] = []
    errors: list[BaseException] = []

    def take_five() -> None:
        try:
            for _ in range(5):
                issued.append(reference_next(prefix=Case.REFERENCE_PREFIX))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_five) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(issued) == 40
    assert len(set(issued)) == 40
    assert sorted(int(r[-5:]) for r in issued) == list(range(1, 41))

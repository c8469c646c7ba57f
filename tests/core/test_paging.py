import datetime

import pytest

from cases.models import Case
from cases.selectors import case_list_annotated
from dacrre.core.paging import page_of
from tests.factories import CaseFactory, CaseVictimFactory


@pytest.mark.django_db
def test_a_page_keeps_the_order_and_loads_its_rows_with_what_the_list_shows() -> None:
    cases = [CaseFactory() for _ in range(5)]
    for day, case in enumerate(cases, start=1):
        CaseVictimFactory(case=case, next_visit_due=datetime.date(2026, 12, day))
    ordered = Case.objects.order_by("-reference")
    expected = [c.reference for c in sorted(cases, key=lambda c: c.reference, reverse=True)]

    page = page_of(ordered, case_list_annotated(Case.objects.all()), 2, per_page=2)

    assert [c.reference for c in page.object_list] == expected[2:4]
    assert page.paginator.count == 5 and page.paginator.num_pages == 3
    by_reference = {c.reference: datetime.date(2026, 12, n) for n, c in enumerate(cases, start=1)}
    assert [c.next_victim_visit_due for c in page.object_list] == [by_reference[r] for r in expected[2:4]]
    assert page_of(ordered, Case.objects.all(), "not a number", per_page=2).number == 1

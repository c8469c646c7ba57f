"""Data protection officers deciding the same closed case at the same moment, on a real PostgreSQL:
the case is decided once (retained or disposed of, never both, never twice), and the others are told
what happened, with nothing written for them."""

import html

import pytest
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import Role, Scope
from records.models import DisposalRecord, RetentionReview
from records.schedule import add_months
from tests.concurrency.conftest import all_at_once, form_token
from tests.factories import AreaFactory, CaseFactory, UserFactory
from tests.records.conftest import close_long_ago

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_officers_retaining_and_disposing_of_one_case_at_once_decide_it_once(signed_in) -> None:
    area = AreaFactory()
    case = close_long_ago(CaseFactory(area=area))
    officers = [UserFactory(area=None, agency=area.agency, role=Role.DPO, scope=Scope.NONE) for _ in range(4)]
    review = f"/records/reviews/{case.public_id}/"
    next_review = add_months(timezone.localdate(), 12).strftime("%d/%m/%Y")
    posts = []
    for number, officer in enumerate(officers):
        client = signed_in(officer)
        if number % 2:
            page = client.get(review + "dispose/")
            data = {"form_token": form_token(page), "reason": "Review period passed; no contact since closure."}
            posts.append(lambda client=client, data=data: client.post(review + "dispose/", data, follow=True))
        else:
            page = client.get(review)
            data = {"form_token": form_token(page), "reason": "New incident last month.", "next_review_on": next_review}
            posts.append(lambda client=client, data=data: client.post(review, data, follow=True))
    responses = all_at_once(posts)
    pages = [html.unescape(response.content.decode()) for response in responses]
    assert all(response.status_code == 200 for response in responses), responses
    decided = RetentionReview.objects.count() + DisposalRecord.objects.count()
    assert decided == 1
    disposed = DisposalRecord.objects.exists()
    assert Case.objects.filter(pk=case.pk).exists() != disposed
    told = [
        page for page in pages if any(why in page for why in ("was retained by", "no longer held", "no longer due"))
    ]
    assert len(told) == len(officers) - 1

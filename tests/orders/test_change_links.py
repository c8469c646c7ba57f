"""An order's summary list has "Change" links that lead to the field on the order's form, whose back
link and save lead back to the order; a reader who may not change it sees none."""

import html
import re

import pytest

from dacrre.accounts.models import Role
from orders.models import ProtectiveOrder
from tests.factories import AreaFactory, ProbationAgencyFactory, UserFactory, grant_case_to
from tests.orders.test_orders import _order, officer_case  # noqa: F401 - the fixture

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.mark.django_db
def test_change_links_lead_to_the_field_and_back(officer_case, login) -> None:  # noqa: F811
    officer, case, _victim = officer_case
    order = _order(officer, case)
    detail_url = f"/cases/{case.public_id}/orders/{order.public_id}/"
    edit_url = f"/cases/{case.public_id}/orders/{order.public_id}/edit/"
    client = login(officer)
    detail = client.get(detail_url).content.decode()
    links = re.findall(
        r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)</span>', detail
    )
    assert [(href, what) for href, what in links] == [
        (f"{edit_url}#id_starts_on", "dates"),
        (f"{edit_url}#id_reference", "reference"),
        (f"{edit_url}#id_conditions", "conditions"),
        (f"{edit_url}#id_protected_victims", "who is protected"),
    ]
    form = client.get(edit_url).content.decode()
    for href, _what in links:
        assert f'id="{href.split("#")[1]}"' in form
    assert f'<a href="{detail_url}" class="govuk-back-link">' in form
    saved = client.post(
        edit_url,
        {
            "form_token": TOKEN.search(form).group(1),
            "kind": order.kind,
            "reference": "CRT-123",
            "starts_on": order.starts_on.strftime("%d/%m/%Y"),
            "ends_on": order.ends_on.strftime("%d/%m/%Y"),
            "conditions": "No contact; not to enter Elm Street",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == detail_url
    assert ProtectiveOrder.objects.get(pk=order.pk).reference == "CRT-123"
    assert "Not to enter Elm Street".lower() in html.unescape(client.get(detail_url).content.decode()).lower()


@pytest.mark.django_db
def test_no_change_links_for_a_reader_who_may_not_change_the_order(officer_case, login) -> None:  # noqa: F811
    officer, case, _victim = officer_case
    order = _order(officer, case)
    probation_agency = ProbationAgencyFactory()
    grant_case_to(case, probation_agency)
    probation = UserFactory(area=AreaFactory(agency=probation_agency), role=Role.PARTNER_CASEWORKER)
    page = login(probation).get(f"/cases/{case.public_id}/orders/{order.public_id}/")
    assert page.status_code == 200
    assert ">Change<" not in page.content.decode()

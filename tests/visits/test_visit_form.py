"""The visit form: every problem reported at once (seen: the format, then the future date, then the
safeguarding details, one submission each), and the safeguarding details as a conditional reveal
under the one answer they belong to, there without JavaScript."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from tests.factories import CaseFactory, CaseVictimFactory, UserFactory
from visits.models import Visit, VisitOutcome
from visits.services import visit_log_problems


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    return officer, case


def _errors(page: str) -> list[str]:
    summary = page[
        page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary__list"))
    ]
    return [html.unescape(text) for text in re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)]


def _post(client, case, **fields):
    data = {"subject": "perpetrator", "outcome": VisitOutcome.SEEN, **fields}
    return client.post(f"/cases/{case.public_id}/visits/new/", data)


def test_a_future_time_a_missing_concern_and_half_a_date_change_are_reported_together(officer_case, login) -> None:
    officer, case = officer_case
    client = login(officer)
    later = timezone.localtime() + datetime.timedelta(hours=3)
    response = _post(
        client,
        case,
        occurred_on=later.strftime("%d/%m/%Y"),
        occurred_time=later.strftime("%H:%M"),
        outcome=VisitOutcome.SAFEGUARDING,
        override_reason="Court on Friday",
        notes="Typed on a phone",
    )
    assert response.status_code == 200
    page = response.content.decode()
    errors = _errors(page)
    if later.date() == timezone.localdate():
        assert "The visit cannot be in the future" in errors
    else:  # past midnight: the date itself is out of bounds, said by the date field
        assert any("date of the visit" in error for error in errors)
    assert "Describe the safeguarding concern raised" in errors
    assert "To change the next visit date, give both the date and the reason" in errors
    assert len(errors) == 3
    assert 'href="#id_next_due_override"' in page  # the half that is missing
    assert "Typed on a phone" in page and Visit.objects.count() == 0


def test_an_unreadable_date_and_a_missing_concern_are_reported_together(officer_case, login) -> None:
    officer, case = officer_case
    response = _post(login(officer), case, occurred_on="31/02/2026", outcome=VisitOutcome.SAFEGUARDING)
    errors = _errors(response.content.decode())
    assert errors == [
        "Enter the date of the visit as day/month/year, for example 27/3/2026",
        "Describe the safeguarding concern raised",
    ]


def test_the_rules_are_the_services_own() -> None:
    problems = visit_log_problems(
        occurred_at=timezone.now() + datetime.timedelta(days=2),
        outcome=VisitOutcome.SAFEGUARDING,
        next_due_override=timezone.localdate() + datetime.timedelta(days=400),
    )
    assert [(p.field, p.message) for p in problems] == [
        ("occurred_on", "The visit cannot be in the future"),
        ("safeguarding_details", "Describe the safeguarding concern raised"),
        ("override_reason", "To change the next visit date, give both the date and the reason"),
        ("next_due_override", "The next visit date must be in the next 12 months"),
    ]
    assert visit_log_problems(occurred_at=None, outcome=VisitOutcome.SEEN) == []


def test_the_safeguarding_details_are_revealed_under_their_answer(officer_case, login) -> None:
    officer, case = officer_case
    client = login(officer)
    page = client.get(f"/cases/{case.public_id}/visits/new/").content.decode()
    radio = re.search(r'<input class="govuk-radios__input"[^>]*value="safeguarding"[^>]*>', page).group(0)
    controls = re.search(r'data-aria-controls="([^"]+)"', radio).group(1)
    assert page.count("data-aria-controls=") == 1  # the one answer it applies to
    reveal = page[page.index(f'id="{controls}"') :]
    assert reveal.index('id="id_safeguarding_details"') < reveal.index("</fieldset>")  # inside the radios
    assert f'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="{controls}"' in page
    assert page.count('name="safeguarding_details"') == 1
    # Chosen (the form shown again with an error): shown, with what was typed.
    again = _post(client, case, occurred_on="", outcome=VisitOutcome.SAFEGUARDING, safeguarding_details="Child at risk")
    shown = again.content.decode()
    assert f'class="govuk-radios__conditional" id="{controls}"' in shown and "Child at risk" in shown

"""The referral form's consent override questions apply to one answer, "Consent overridden": they are
revealed under it (GOV.UK conditional reveal; shown without JavaScript)."""

import re

import pytest

from tests.factories import CaseFactory, CaseVictimFactory, UserFactory


@pytest.mark.django_db
def test_the_override_questions_are_revealed_under_consent_overridden(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    page = login(officer).get(f"/cases/{case.public_id}/referrals/new/").content.decode()
    radio = re.search(r'<input class="govuk-radios__input"[^>]*value="overridden"[^>]*>', page).group(0)
    controls = re.search(r'data-aria-controls="([^"]+)"', radio).group(1)
    reveal = page[page.index(f'id="{controls}"') :]
    reveal = reveal[: reveal.index("</fieldset>")]
    for name in ("consent_override_reason", "consent_override_authorised_role", "consent_override_authorised_by"):
        assert f'name="{name}"' in reveal and page.count(f'name="{name}"') == 1
    assert (
        "govuk-radios__conditional--hidden"
        in page[page.index(f'id="{controls}"') - 80 : page.index(f'id="{controls}"')]
    )

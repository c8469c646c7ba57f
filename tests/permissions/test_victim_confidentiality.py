"""A distinctive victim address, phone and child's school must appear in no response to a
perpetrator-side user, whatever route they take, including after a referral shared the case with
their agency and ticked "share contact details"."""

import pytest

from cases.models import ChronologyVisibility
from dacrre.accounts.models import Role, Scope
from referrals.models import Consent, Sharing, Urgency
from referrals.services import referral_accept, referral_create, referral_send
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ChildConfidentialFactory,
    ChronologyEntryFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimFactory,
)
from tests.permissions.test_matrix import _all_named_patterns, _is_record_page, _record_url

SECRETS = ["17 Nightingale Crescent", "ZZ9 9ZZ", "07700 900777", "Larkspur Primary", "moved to refuge in Leeds"]


@pytest.fixture
def secret_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = VictimFactory(confidential=None)
    VictimConfidentialFactory(
        victim=victim, address="17 Nightingale Crescent", postcode="ZZ9 9ZZ", phone="07700 900777"
    )
    CaseVictimFactory(case=case, victim=victim)
    child_link = CaseChildFactory(case=case)
    ChildConfidentialFactory(child=child_link.child, school="Larkspur Primary")
    ChronologyEntryFactory(
        case=case, summary="Victim moved to refuge in Leeds.", visibility=ChronologyVisibility.VICTIM_SIDE
    )
    return officer, case, victim


def _responses(client, world_like) -> list[str]:
    pages = []
    for name, _ in _all_named_patterns():
        if not _is_record_page(name):
            continue
        method, url, _expected = _record_url(world_like, name)
        pages.append(getattr(client, method)(url).content.decode())
    return pages


class _World:
    def __init__(self, case, victim):
        self.case, self.victim, self.users = case, victim, {}
        from django.utils import timezone

        from cases.access.models import BreakGlassAccess

        self.break_glass = BreakGlassAccess.objects.create(
            user=case.spoc, case=case, reason="fixture", expires_at=timezone.now()
        )


@pytest.mark.django_db
def test_the_owning_officer_does_see_the_details(login, secret_case) -> None:
    officer, case, victim = secret_case
    text = "".join(_responses(login(officer), _World(case, victim)))
    for secret in SECRETS:
        assert secret in text, secret


@pytest.mark.django_db
@pytest.mark.parametrize("scope", [Scope.ASSIGNED, Scope.AGENCY])
def test_a_perpetrator_side_user_never_receives_them_even_after_a_referral(login, secret_case, scope) -> None:
    _, case, victim = secret_case
    probation = ProbationAgencyFactory()
    offender_manager = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=scope)
    case.offender_manager = offender_manager
    case.save()
    # The sender ticks "share contact details" and the probation service accepts the referral.
    referral = referral_create(
        actor=case.spoc,
        case=case,
        subject_person=case.perpetrator.person,
        to_agency=probation,
        reason="Offender management",
        urgency=Urgency.HIGH,
        sharing=Sharing.WITH_VICTIM_CONTACT,
        consent=Consent.GIVEN,
        consent_method="written",
    )
    referral_accept(actor=offender_manager, referral=referral_send(actor=case.spoc, referral=referral))

    client = login(offender_manager)
    pages = _responses(client, _World(case, victim))
    assert client.get(f"/victims/{victim.public_id}/").status_code == 200  # they can open the page...
    text = "".join(pages)
    assert victim.person.full_name in text  # ...and see who the victim is,
    for secret in SECRETS:  # but never where to find them.
        assert secret not in text, secret

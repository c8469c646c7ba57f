"""Referral pages in the permission matrix: a referral from the case's owning force to a housing agency."""

from referrals.models import Consent, Sharing, Urgency
from referrals.services import referral_create, referral_send
from tests.factories import VictimSideAgencyFactory
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, SEE_CASE, VICTIM_SIDE_PARTNERS

# Officers, supervisors and IDVAs who see the case make referrals.
REFERRING = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS


def _referral(world):
    if getattr(world, "_referral", None) is None:
        housing_user = world.users.get("ungranted_housing")
        housing = housing_user.agency if housing_user else VictimSideAgencyFactory()
        referral = referral_create(
            actor=world.case.spoc,
            case=world.case,
            subject_person=world.victim.person,
            to_agency=housing,
            reason="Needs rehousing away from the perpetrator.",
            urgency=Urgency.HIGH,
            sharing=Sharing.WITH_VICTIM_CONTACT,
            consent=Consent.GIVEN,
            consent_method="written",
        )
        world._referral = referral_send(actor=world.case.spoc, referral=referral)
    return world._referral


def entries(world) -> dict:
    referral = _referral(world)
    senders = OWNING_CASEWORKERS  # the referring force's caseworkers who see the case
    sees_referral = senders | {"ungranted_housing"}  # ...and the agency it was sent to
    return {
        "case_referrals:new": (
            "get",
            [world.case.public_id],
            {a: (200 if a in REFERRING else 403) if a in SEE_CASE else 404 for a in ACTORS},
        ),
        "referrals:inbox": ("get", [], dict.fromkeys(ACTORS, 200)),
        "referrals:detail": ("get", [referral.public_id], {a: 200 if a in sees_referral else 404 for a in ACTORS}),
        "referrals:summary": (
            "get",
            [referral.public_id],
            {a: 200 if a in senders else 403 if a in sees_referral else 404 for a in ACTORS},
        ),
        # An empty update is refused with the form shown again (200) to both agencies of the referral.
        "referrals:action": (
            "post",
            [referral.public_id, "update"],
            {a: 200 if a in sees_referral else 404 for a in ACTORS},
        ),
    }

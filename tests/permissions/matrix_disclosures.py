"""Clare's Law pages in the permission matrix."""

from django.utils import timezone

from disclosures.models import DisclosureApplication, Route
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, PERPETRATOR_SIDE_PARTNERS, SEE_CASE


def entries(world) -> dict:
    application = DisclosureApplication.objects.filter(case=world.case).first() or (
        DisclosureApplication.objects.create(
            case=world.case,
            route=Route.RIGHT_TO_ASK,
            person_at_risk=world.victim,
            applicant_name="Applicant",
            applicant_relationship="self",
            subject_relationship="partner",
            received_on=timezone.localdate(),
            recorded_by=world.case.spoc,
        )
    )
    # Police decisions: the owning force's officers and supervisors record and decide.
    write = {a: (200 if a in OWNING_CASEWORKERS else 403) if a in SEE_CASE else 404 for a in ACTORS}
    # Victim-side information: never for the perpetrator-side agency.
    view = {a: (403 if a in PERPETRATOR_SIDE_PARTNERS else 200) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "disclosures:new": ("get", [world.case.public_id], write),
        # The page is open to every victim-side reader; deciding on it (POST) to the owning force.
        "disclosures:detail": ("get", [world.case.public_id, application.public_id], view, write),
    }

"""Clare's Law pages in the permission matrix."""

from django.utils import timezone

from disclosures.models import DisclosureApplication, Route
from tests.permissions.test_matrix import ACTORS, SEE_CASE


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
    officers = {"assigned_officer", "area_supervisor"}
    # Victim-side information: never for the perpetrator-side agency.
    write = {a: (200 if a in officers else 403) if a in SEE_CASE else 404 for a in ACTORS}
    view = {a: (403 if a == "granted_probation" else 200) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "disclosures:new": ("get", [world.case.public_id], write),
        "disclosures:detail": ("get", [world.case.public_id, application.public_id], view),
    }

"""Incident import pages in the permission matrix: the force's analysts only."""

from incidents.models import ImportStatus, IncidentImport
from tests.permissions.test_matrix import ACTORS


def entries(world) -> dict:
    job = IncidentImport.objects.filter(agency=world.case.owning_agency).first() or IncidentImport.objects.create(
        agency=world.case.owning_agency,
        uploaded_by=world.case.spoc,
        filename="x.csv",
        content="",
        status=ImportStatus.REFUSED,
        report={"rows": 0, "errors": []},
    )
    analysts = {a: 200 if a == "analyst" else 403 for a in ACTORS}
    return {
        "incidents:import": ("get", [], analysts),
        "incidents:import_guide": ("get", [], analysts),
        "incidents:import_sample": ("get", [], analysts),
        "incidents:import_detail": ("get", [job.public_id], analysts),
        "incidents:import_progress": ("get", [job.public_id], analysts),
        # A refused file can neither be confirmed nor run again: the analyst is told so (no import runs).
        "incidents:import_confirm": ("post", [job.public_id], {a: 302 if a == "analyst" else 403 for a in ACTORS}),
        "incidents:import_run_again": ("post", [job.public_id], {a: 302 if a == "analyst" else 403 for a in ACTORS}),
    }

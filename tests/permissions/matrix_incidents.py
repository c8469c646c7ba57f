"""Incident import pages in the permission matrix: analysts only (none of the matrix actors)."""

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
    refused = dict.fromkeys(ACTORS, 403)
    return {
        "incidents:import": ("get", [], refused),
        "incidents:import_detail": ("get", [job.public_id], refused),
        "incidents:import_progress": ("get", [job.public_id], refused),
        "incidents:import_confirm": ("post", [job.public_id], refused),
        "incidents:import_run_again": ("post", [job.public_id], refused),
    }

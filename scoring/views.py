from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from cases.models import Operation
from dacrre.accounts.models import Area
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.permissions.rules import can_view_scores

from .models import ScoringSettings, gravity_table
from .selectors import perpetrators_ranked

PAGE_SIZE = 100


@login_required
def ranking(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_scores(user) or user.agency is None:
        raise PermissionDenied("Scores are available to the force's analysts and supervisors.")
    areas = list(Area.objects.filter(agency=user.agency))
    operations = list(Operation.objects.filter(lead_agency=user.agency, is_active=True))
    area = next((a for a in areas if str(a.public_id) == request.GET.get("area")), None)
    operation = next((o for o in operations if str(o.public_id) == request.GET.get("operation")), None)
    settings = ScoringSettings.current()
    rows = list(
        perpetrators_ranked(
            agency=user.agency, area=area, operation_id=operation.pk if operation else None, settings=settings
        )[:PAGE_SIZE]
    )
    access_log_record(
        user=user,
        action=AccessAction.LIST,
        request=request,
        object_type="perpetrator ranking",
        detail=f"area={area or 'all'}, operation={operation or 'all'}, {len(rows)} listed",
    )
    return render(
        request,
        "scoring/ranking.html",
        {
            "rows": rows,
            "areas": areas,
            "operations": operations,
            "area": area,
            "operation": operation,
            "settings": settings,
            "gravity": sorted(gravity_table().items(), key=lambda item: -item[1]),
        },
    )

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from cases.models import Operation
from dacrre.accounts.models import Area
from dacrre.audit.access import rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.db_router import replica_reads
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import PeriodForm
from .rules import can_view_reports
from .selectors import Period, performance_report


@login_required
def performance(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_reports(user) or user.agency is None:
        raise PermissionDenied("Performance reports are for the force's supervisors and analysts.")
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=PeriodForm.default_initial())
    areas = list(Area.objects.filter(agency=user.agency))
    operations = list(Operation.objects.filter(lead_agency=user.agency))
    area = next((a for a in areas if str(a.public_id) == request.GET.get("area")), None)
    operation = next((o for o in operations if str(o.public_id) == request.GET.get("operation")), None)
    sections = []
    period = None
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    elif not form.is_bound:
        period = Period(*PeriodForm.default_period())
    if period is not None:
        with replica_reads():  # the database replica, when there is one (dacrre/core/db_router.py)
            sections = performance_report(
                agency=user.agency,
                period=period,
                area_id=area.pk if area else None,
                operation_id=operation.pk if operation else None,
            )
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            header = ["Section", "Measure", "This period", "Same period last year", "Difference", "% change"]
            rows: list = [
                [section.title, row.label, row.this, row.last, row.difference, row.percent_change]
                for section in sections
                for row in section.rows
            ]
            return export_response(request, fmt=fmt, name="performance report", header=header, rows=rows)
        rows_listed(
            request,
            page="performance report",
            detail=f"{period.start} to {period.end}, area={area or 'all'}, operation={operation or 'all'}",
        )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reports/performance.html",
        {
            "form": form,
            "sections": sections,
            "period": period,
            "last_year": period.year_earlier() if period else None,
            "areas": areas,
            "operations": operations,
            "area": area,
            "operation": operation,
            "query": query.urlencode(),
        },
    )

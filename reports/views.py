import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.models import Operation
from dacrre.accounts.models import Area
from dacrre.audit.access import rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.audit.models import AccessAction
from dacrre.core.db_router import replica_reads
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import PeriodForm
from .pack import export_rows, pack_workbook, report_sections
from .rules import can_view_reports
from .selectors import Period, Section


@dataclass
class ReportRequest:
    """The period, area and operation asked for, and the sections for them (none when the dates
    are wrong: the form says what to fix)."""

    form: PeriodForm
    areas: list[Area]
    operations: list[Operation]
    area: Area | None
    operation: Operation | None
    period: Period | None
    sections: list[Section] = field(default_factory=list)

    @property
    def described(self) -> str:
        assert self.period is not None  # noqa: S101 - only asked of a valid request
        return (
            f"{self.period.start} to {self.period.end}, area={self.area or 'all'}, operation={self.operation or 'all'}"
        )

    def context(self, request: AuthenticatedHttpRequest) -> dict[str, object]:
        query = request.GET.copy()
        query.pop("format", None)
        return {
            "form": self.form,
            "sections": self.sections,
            "period": self.period,
            "last_year": self.period.year_earlier() if self.period else None,
            "areas": self.areas,
            "operations": self.operations,
            "area": self.area,
            "operation": self.operation,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        }


def _report_request(request: AuthenticatedHttpRequest) -> ReportRequest:
    user = request.user
    if not can_view_reports(user) or user.agency is None:
        raise PermissionDenied("Performance reports are for the force's supervisors and analysts.")
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=PeriodForm.default_initial())
    areas = list(Area.objects.filter(agency=user.agency))
    operations = list(Operation.objects.filter(lead_agency=user.agency))
    wanted = ReportRequest(
        form=form,
        areas=areas,
        operations=operations,
        area=next((a for a in areas if str(a.public_id) == request.GET.get("area")), None),
        operation=next((o for o in operations if str(o.public_id) == request.GET.get("operation")), None),
        period=None,
    )
    if form.is_bound and form.is_valid():
        wanted.period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    elif not form.is_bound:
        wanted.period = Period(*PeriodForm.default_period())
    if wanted.period is not None:
        with replica_reads():  # the database replica, when there is one (dacrre/core/db_router.py)
            wanted.sections = report_sections(
                agency=user.agency,
                period=wanted.period,
                area_id=wanted.area.pk if wanted.area else None,
                operation_id=wanted.operation.pk if wanted.operation else None,
                today=timezone.localdate(),
            )
    return wanted


@login_required
def performance(request: AuthenticatedHttpRequest) -> HttpResponse:
    wanted = _report_request(request)
    if wanted.period is not None:
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            header = ["Section", "Measure", "This period", "Same period last year", "Difference", "% change"]
            return export_response(
                request, fmt=fmt, name="performance report", header=header, rows=export_rows(wanted.sections)
            )
        rows_listed(request, page="performance report", detail=wanted.described)
    return render(request, "reports/performance.html", wanted.context(request))


@login_required
def pack(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The accountability pack: the report's tables in the pack's layout, printable, or as an Excel
    workbook with a sheet per table."""
    wanted = _report_request(request)
    if wanted.period is not None and request.GET.get("format") == "xlsx":
        rows_listed(
            request, page="accountability pack", detail=f"{wanted.described} as xlsx", action=AccessAction.EXPORT
        )
        last_year = wanted.period.year_earlier()
        about = [
            ["Accountability pack", request.user.agency.name if request.user.agency else ""],
            ["Period", f"{wanted.period.start:%-d %b %Y} to {wanted.period.end:%-d %b %Y}"],
            ["Compared with", f"{last_year.start:%-d %b %Y} to {last_year.end:%-d %b %Y}"],
            ["Area", wanted.area.name if wanted.area else "All areas"],
            ["Operation", wanted.operation.name if wanted.operation else "All operations"],
            ["Produced", f"{timezone.localtime():%-d %b %Y %H:%M}"],
            ["Measures", "Defined in the service's documentation: oversight and reports."],
        ]
        filename = f"accountability-pack-{datetime.date.today():%Y-%m-%d}.xlsx"
        return pack_workbook(filename=filename, about=about, sections=wanted.sections)
    if wanted.period is not None:
        rows_listed(request, page="accountability pack", detail=wanted.described)
    return render(request, "reports/pack.html", wanted.context(request))

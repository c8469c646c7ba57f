from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dacrre.core.csv_export import csv_response
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .access import rows_listed
from .forms import AccessLogSearchForm
from .models import AccessAction, AccessLog
from .selectors import access_logs_search

EXPORT_LIMIT = 50_000


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    searched_for = attempt(request, lambda: access_logs_search(request.user, filters))
    logs: QuerySet[AccessLog] = searched_for.value if searched_for else AccessLog.objects.none()  # type: ignore[assignment]
    searched = ", ".join(f"{key}={value}" for key, value in filters.items() if value)
    if request.GET.get("format") == "csv" and not form.errors:
        rows_listed(request, page="access log", detail=searched, action=AccessAction.EXPORT)
        rows = (
            (
                timezone.localtime(log.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                log.username,
                log.agency_name,
                log.get_action_display(),
                log.object_label,
                log.case_reference,
                log.person_label,
                log.reason,
                log.ip_address,
                log.path,
                "yes" if log.flagged_for_review else "",
            )
            for log in logs[:EXPORT_LIMIT]
        )
        header = [
            "When",
            "User",
            "Agency",
            "Action",
            "Record",
            "Case",
            "Person",
            "Reason",
            "IP address",
            "Page",
            "Flagged",
        ]
        return csv_response(filename="access-log.csv", header=header, rows=rows)
    rows_listed(request, page="access log", detail=searched)
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "query": query.urlencode()})

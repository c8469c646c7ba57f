from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from dacrre.audit.access import Shown, rows_listed
from dacrre.core.http import AuthenticatedHttpRequest

from .query import parse
from .rules import can_use_search
from .selectors import search_for


@login_required
def results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header search's results: the same page whether nothing matched or nothing matched that the
    user may see. Every search is on the access log with what was typed and whom it showed."""
    if not can_use_search(request.user):
        raise PermissionDenied("Search is for the roles that work on cases.")
    query = parse(request.GET.get("q", ""))
    found = [] if query.empty else search_for(request.user, query)
    if query.text:
        rows_listed(
            request,
            page="search",
            detail=f"searched {query.text!r}: {len(found)} results",
            shown=[Shown(result.kind if result.kind != "Case" else "Perpetrator", result.person) for result in found],
        )
    return render(request, "search/results.html", {"query": query, "results": found})

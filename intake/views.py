"""Opening a case by hand, and adding a victim or a child to a case.

Each page finds someone already recorded (a search of the people the user may see, each search on
the access log) or takes someone new; before a new person is recorded, the people the duplicate
queue's rules would match are offered, so that a second record is not made by accident."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases.http import case_for
from cases.models import Case, Operation
from dacrre.audit.access import Shown, rows_listed
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from people.matching import Identity
from people.models import Person

from . import services
from .forms import NEW, AddChildForm, AddVictimForm, OpenCaseForm, PersonForm, PersonSearchForm
from .rules import can_add_person, can_open_case
from .selectors import likely_matches_for, people_search, person_known_to


@dataclass
class Chosen:
    form: PersonForm
    person: Person | None = None
    new_person: services.NewPerson | None = None
    ready: bool = False  # valid, and the person is decided: the service can be called


def _search(request: AuthenticatedHttpRequest, page: str) -> tuple[PersonSearchForm, list[Person] | None]:
    search = PersonSearchForm(request.GET if "find-name" in request.GET else None, prefix="find")
    if not search.has_search():
        return search, None
    data = search.cleaned_data
    found = people_search(
        request.user, name=data["name"], born=data["born"], police_identifier=data["police_identifier"]
    )
    rows_listed(
        request,
        page=page,
        detail=f"people searched: name {data['name']!r}, born {data['born'] or '-'}, "
        f"police identifier {data['police_identifier'] or '-'}; {len(found)} found",
        shown=[Shown("Person found", person) for person in found],
    )
    return search, found


def _chosen_person(request: AuthenticatedHttpRequest) -> Person | None:
    wanted = request.POST.get("person") or request.GET.get("person")
    return person_known_to(request.user, wanted) if wanted else None


def _choose(request: AuthenticatedHttpRequest, data: Any, form_class: type[PersonForm], **kwargs: Any) -> Chosen:
    """The form (`data`: what was posted, or None), and who it is about once that is decided."""
    chosen = _chosen_person(request)
    initial = {"person": chosen.public_id} if chosen else None
    if data is None:
        return Chosen(form_class(initial=initial, **kwargs), person=chosen)
    form = form_class(data, **kwargs)
    if not form.is_valid():
        return Chosen(form, person=chosen)
    data = form.cleaned_data
    if data.get("person"):
        if chosen is None:
            form.add_error(None, "Find the person again: the one chosen is not available.")
            return Chosen(form)
        return Chosen(form, person=chosen, ready=True)
    identity = Identity(
        data["given_name"], data["family_name"], data["date_of_birth"], data["police_identifier"] or None
    )
    matches = likely_matches_for(request.user, identity)
    if matches:
        form = form_class(data, matches=matches, **kwargs)
        form.is_valid()
        answer = form.cleaned_data.get("match")
        if answer != NEW:
            person = next((p for p, _why in matches if str(p.public_id) == answer), None)
            if person is None:
                return Chosen(form)  # ask: one of these, or someone new?
            return Chosen(form, person=person, ready=True)
    new = services.NewPerson(
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        gender=data["gender"],
        police_identifier=data["police_identifier"],
    )
    return Chosen(form, new_person=new, ready=True)


@login_required
@form_view
def open_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a case on a perpetrator who came to notice other than through the ranking (a MARAC, a
    partner's concern, an incident, a tasking list)."""
    user = request.user
    if not can_open_case(user):
        raise PermissionDenied("Cases are opened by a force's officers and supervisors.")
    operations = Operation.objects.filter(lead_agency=user.agency, is_active=True)
    areas = services.areas_to_open_in(user)
    search, found = _search(request, "people search (open a case)")
    posted = request.POST if request.method == "POST" else None
    chosen = _choose(request, posted, OpenCaseForm, operations=operations, areas=areas)
    if chosen.ready:
        data = chosen.form.cleaned_data
        opened = attempt(
            request,
            lambda: services.case_open_by_hand(
                actor=user,
                person=chosen.person,
                new_person=chosen.new_person,
                operation=data["operation"],
                area=data["area"],
                reason=data["reason"],
                reason_detail=data["reason_detail"],
            ),
            form=chosen.form,
        )
        if opened:
            case: Case = opened.value  # type: ignore[assignment]
            messages.success(request, f"Case {case.reference} opened. Add the victims and children at risk.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "intake/open_case.html",
        {"search": search, "found": found, "form": chosen.form, "chosen": chosen.person},
    )


def _add(request: AuthenticatedHttpRequest, posted: Any, case_id: uuid.UUID, kind: str) -> HttpResponse:
    what = "victim" if kind == "victim" else "child"
    # Closed first (back to the case with the reason), then who may: the predicate refuses a closed case too.
    case = case_for(request, case_id, what=f"Add a {what}", writing=True, people=True)
    if not can_add_person(request.user, case):
        raise PermissionDenied("Victims and children are added by the owning force and victim-side IDVAs.")
    search, found = _search(request, f"people search (add a {what})")
    chosen = _choose(request, posted, AddVictimForm if kind == "victim" else AddChildForm)
    if chosen.ready:
        data = chosen.form.cleaned_data
        call: Callable[[], object]
        if kind == "victim":
            call = lambda: services.case_victim_add(  # noqa: E731
                actor=request.user,
                case=case,
                person=chosen.person,
                new_person=chosen.new_person,
                relationship=data["relationship"],
                lives_with_perpetrator=data["lives_with_perpetrator"] == "yes",
            )
        else:
            call = lambda: services.case_child_add(  # noqa: E731
                actor=request.user,
                case=case,
                person=chosen.person,
                new_person=chosen.new_person,
                relationship=data["relationship"],
            )
        added = attempt(request, call, form=chosen.form, success=f"{what.capitalize()} added to case {case.reference}.")
        if added:
            return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "intake/add_person.html",
        {"case": case, "what": what, "search": search, "found": found, "form": chosen.form, "chosen": chosen.person},
    )


@login_required
@form_view
def add_victim(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _add(request, request.POST if request.method == "POST" else None, case_id, "victim")


@login_required
@form_view
def add_child(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _add(request, request.POST if request.method == "POST" else None, case_id, "child")

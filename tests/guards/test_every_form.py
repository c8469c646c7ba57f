"""Every form of the app has a test that submits a valid POST and sees the success.

URL patterns are enumerated from the resolver, and each view is inspected (decorators unwrapped):
one that accepts POST (`require_POST`, `request.method == "POST"`, `request.POST`, a class-based
view with a `post` method, a DRF viewset action or create) must have an entry in FORMS, or
`test_every_form_has_a_test` fails naming it, as `test_every_url_is_in_the_matrix` does for routes.

An entry builds, with factories and services, a world where a user may use the form, and says what
to type and what success looks like. The test signs in as that user, GETs the page the form is on,
reads the form from the HTML (every field, hidden ones included: a one-time form token or any new
hidden field is sent back as the page gave it), types the entry's values over it, presses the
button, and checks the redirect, the success message on the next page and the record made.

A form that cannot succeed today is in KNOWN_FAILING_FORMS with its reason: a strict xfail, so the
test fails once it is fixed until the entry is deleted.
"""

import datetime
import html
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope, User
from tests.factories import (
    TEST_PASSWORD,
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    ReminderFactory,
    UserFactory,
    VictimSideAgencyFactory,
    current_totp,
    grant_case_to,
)
from tests.guards.crawl import Form, forms_of
from tests.guards.routes import post_url_names, project_routes, slug_choices

# url name, or "url name[variant]": why it cannot succeed today. Delete an entry when its fix lands.
KNOWN_FAILING_FORMS: dict[str, str] = {}

TODAY = timezone.localdate


def day(offset: int = 0) -> str:
    return (TODAY() + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")


# --- The worlds ---------------------------------------------------------------------------------------


class World:
    """A police force with an area, its officer, supervisor, a case with a victim, and the other
    agencies, each built on first use."""

    def __init__(self, client) -> None:
        self.client = client

    @cached_property
    def area(self):
        return AreaFactory(name="North")

    @cached_property
    def police(self):
        return self.area.agency

    @cached_property
    def officer(self):
        return UserFactory(area=self.area, first_name="Olivia", last_name="Officer")

    @cached_property
    def colleague(self):
        return UserFactory(area=self.area, first_name="Colin", last_name="Colleague")

    @cached_property
    def supervisor(self):
        return UserFactory(area=self.area, role=Role.SUPERVISOR, scope=Scope.AREA)

    @cached_property
    def analyst(self):
        return UserFactory(area=self.area, role=Role.ANALYST, scope=Scope.AGENCY)

    @cached_property
    def auditor(self):
        return UserFactory(area=None, agency=self.police, role=Role.AUDITOR)

    @cached_property
    def admin(self):
        return UserFactory(area=None, agency=self.police, role=Role.ADMIN, is_staff=True, is_superuser=True)

    @cached_property
    def case(self):
        case = CaseFactory(area=self.area, spoc=self.officer, risk_level=RiskLevel.MEDIUM)
        CaseVictimFactory(case=case)
        return case

    @cached_property
    def victim(self):
        return self.case.victims.get()

    @cached_property
    def housing(self):
        return VictimSideAgencyFactory()

    @cached_property
    def housing_worker(self):
        return self._member(self.housing, Role.PARTNER_CASEWORKER)

    @cached_property
    def idva_agency(self):
        return IdvaAgencyFactory()

    @cached_property
    def idva(self):
        grant_case_to(self.case, self.idva_agency, shares_victim_contact=True)
        return self._member(self.idva_agency, Role.IDVA)

    @cached_property
    def probation(self):
        return ProbationAgencyFactory()

    def _member(self, agency, role):
        return UserFactory(area=AreaFactory(agency=agency), agency=agency, role=role, scope=Scope.AGENCY)

    def referral(self, *, send: bool = True, accept: bool = False):
        from referrals.models import Consent, Sharing, Urgency
        from referrals.services import referral_accept, referral_create, referral_send

        referral = referral_create(
            actor=self.officer,
            case=self.case,
            subject_person=self.victim.person,
            to_agency=self.housing,
            reason="Needs rehousing away from the perpetrator.",
            urgency=Urgency.HIGH,
            sharing=Sharing.SUMMARY,
            consent=Consent.GIVEN,
            consent_method="written",
        )
        if send:
            referral = referral_send(actor=self.officer, referral=referral)
        if accept:
            referral = referral_accept(actor=self.housing_worker, referral=referral)
        return referral

    def meeting(self):
        from meetings.models import MeetingKind
        from meetings.services import meeting_schedule

        return meeting_schedule(
            actor=self.officer, kind=MeetingKind.MARAC, held_on=TODAY(), attending_agencies=[self.idva_agency]
        )

    def agenda_item(self):
        from meetings.services import meeting_add_case

        return meeting_add_case(actor=self.officer, meeting=self.meeting(), case=self.case)

    def signed_in(self, user):
        self.client.logout()
        response = self.client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.content
        response = self.client.post("/accounts/second-factor/", {"token": current_totp(user)})
        assert response.status_code == 302, response.content
        return user


@dataclass
class Submission:
    """One valid submission of a form, and what its success looks like."""

    user: User | None  # signed in with both factors first; None: the entry signs in itself (or not)
    url: str  # where the form posts
    data: dict = field(default_factory=dict)  # typed over the form's own values; a key may omit a prefix
    page: str | None = None  # where the form is shown (default: `url`)
    button: str = ""  # the label of the button pressed (default: the form's first)
    pick: dict = field(default_factory=dict)  # among several forms posting to `url`: the one with these values
    redirect: str | None = None  # where success leads (a path); None: not checked
    message: str = ""  # shown on the page success leads to
    check: Callable[[Any], object] | None = None  # given the response; asserts the record made
    status: int = 302
    api: bool = False  # a JSON API action: no page; `data` is the body
    # A wide or irreversible action asks again first: the label of the button on the confirmation
    # page (answered 200 to the first POST, which must change nothing checked), pressed as it stands.
    confirm: str = ""


# --- The registry --------------------------------------------------------------------------------------

FORMS: dict[str, dict[str, Callable[[World], Submission]]] = {}


def form(name: str, variant: str = "") -> Callable:
    def register(build: Callable[[World], Submission]) -> Callable[[World], Submission]:
        FORMS.setdefault(name, {})[variant] = build
        return build

    return register


def case_page(w: World) -> str:
    return reverse("cases:detail", args=[w.case.public_id])


@form("cases:break_glass")
def _break_glass(w: World) -> Submission:
    elsewhere = CaseFactory(area=AreaFactory(agency=w.police))
    return Submission(
        user=w.supervisor,
        url=reverse("cases:break_glass"),
        data={"case_reference": elsewhere.reference, "reason": "The victim rang the North team out of hours."},
        redirect=reverse("cases:detail", args=[elsewhere.public_id]),
        message="You opened this case with break-glass access",
    )


@form("cases:operation_cadences")
def _cadences(w: World) -> Submission:
    from cases.models import CadenceRule

    operation = w.case.operation
    return Submission(
        user=w.supervisor,
        url=reverse("cases:operation_cadences", args=[operation.public_id]),
        data={"visit__high": "10"},
        redirect=reverse("cases:operation_cadences", args=[operation.public_id]),
        message="Cadences saved (1 changed)",
        check=lambda _: CadenceRule.objects.get(operation=operation, kind="visit", risk_level="high").days == 10,
    )


@form("intake:open")
def _open_case(w: World) -> Submission:
    from cases.models import Case

    operation = w.case.operation
    return Submission(
        user=w.officer,
        url=reverse("intake:open"),
        data={
            "given_name": "Darren",
            "family_name": "Blake",
            "date_of_birth": "14/02/1985",
            "operation": str(operation.pk),
            "area": str(w.area.pk),
            "reason": "marac",
            "reason_detail": "Discussed at the MARAC of 3 March.",
        },
        message="opened. Add the victims and children at risk.",
        check=lambda _: Case.objects.filter(perpetrator__person__family_name="Blake", opening_reason="marac").exists(),
    )


@form("intake:add_victim")
def _add_victim(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("intake:add_victim", args=[w.case.public_id]),
        data={
            "given_name": "Kerry",
            "family_name": "Walsh",
            "date_of_birth": "02/05/1990",
            "relationship": "ex_partner",
            "lives_with_perpetrator": "no",
        },
        redirect=case_page(w),
        message=f"Victim added to case {w.case.reference}.",
        check=lambda _: w.case.case_victims.filter(
            victim__person__family_name="Walsh", relationship="ex_partner"
        ).exists(),
    )


@form("intake:add_child")
def _add_child(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("intake:add_child", args=[w.case.public_id]),
        data={
            "given_name": "Mia",
            "family_name": "Walsh",
            "date_of_birth": "01/09/2018",
            "relationship": "child_of_both",
        },
        redirect=case_page(w),
        message=f"Child added to case {w.case.reference}.",
        check=lambda _: w.case.case_children.filter(relationship="child_of_both").exists(),
    )


@form("cases:status")
def _case_status(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("cases:status", args=[w.case.public_id]),
        data={"to_status": "active", "reason": "First visits made to both."},
        redirect=case_page(w),
        message=f"Case {w.case.reference} is now active.",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).status == "active",
    )


@form("cases:reopen")
def _case_reopen(w: World) -> Submission:
    case = w.case
    case.status, case.closed_at = "closed", timezone.now()
    case.save()
    return Submission(
        user=w.supervisor,
        url=reverse("cases:reopen", args=[case.public_id]),
        data={"reason": "A new incident was reported on 2 March."},
        redirect=case_page(w),
        message=f"Case {case.reference} reopened",
        check=lambda _: type(case).objects.get(pk=case.pk).status == "active",
    )


@form("oversight:staff")
def _staff(w: World) -> Submission:
    colleague = w.colleague
    return Submission(
        user=w.supervisor,
        url=reverse("oversight:staff", args=[w.case.public_id]),
        pick={"field": "spoc"},
        data={"to_user": str(colleague.pk), "reason": "Olivia moves to the South team."},
        redirect=case_page(w),
        message="SPOC allocated: Colin Colleague.",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).spoc_id == colleague.pk,
    )


@form("oversight:transfer_request")
def _transfer_request(w: World) -> Submission:
    from oversight.models import CaseTransfer

    south = AreaFactory(agency=w.police, name="South")
    return Submission(
        user=w.supervisor,
        url=reverse("oversight:transfer_request", args=[w.case.public_id]),
        data={"to_area": str(south.pk), "reason": "The perpetrator moved to the South area."},
        redirect=case_page(w),
        message="Transfer requested",
        check=lambda _: CaseTransfer.objects.filter(case=w.case, to_area=south, status="pending").exists(),
    )


@form("oversight:transfers")
def _transfer_decide(w: World) -> Submission:
    from oversight.transfers import transfer_request

    south = AreaFactory(agency=w.police, name="South")
    receiver = UserFactory(area=south, role=Role.SUPERVISOR, scope=Scope.AREA)
    transfer = transfer_request(
        actor=UserFactory(area=w.area, role=Role.SUPERVISOR, scope=Scope.AGENCY),
        case=w.case,
        to_area=south,
        reason="The perpetrator moved to the South area.",
    )
    return Submission(
        user=receiver,
        url=reverse("oversight:transfers"),
        pick={"transfer": str(transfer.public_id)},
        data={"decision": "accept"},
        redirect=reverse("oversight:staff", args=[w.case.public_id]),
        message=f"Transfer of case {w.case.reference} accepted",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).area_id == south.pk,
    )


@form("visits:new")
def _visit_new(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("visits:new", args=[w.case.public_id]),
        data={"outcome": "seen", "notes": "Perpetrator at home."},
        redirect=case_page(w),
        message="Visit logged.",
        check=lambda _: w.case.visits.filter(outcome="seen", notes="Perpetrator at home.").count() == 1,
    )


@form("visits:plan")
def _visit_plan(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("visits:plan", args=[w.case.public_id]),
        data={"subject": "perpetrator", "planned_on": day(3), "planned_time": "10:30"},
        redirect=case_page(w),
        message="Visit planned.",
        check=lambda _: w.case.visits.filter(status="planned").count() == 1,
    )


@form("visits:cancel")
def _visit_cancel(w: World) -> Submission:
    from visits.services import visit_plan

    visit = visit_plan(
        actor=w.officer, case=w.case, victim=None, planned_for=timezone.now() + datetime.timedelta(days=2)
    )
    return Submission(
        user=w.officer,
        page=reverse("visits:detail", args=[w.case.public_id, visit.public_id]),
        url=reverse("visits:cancel", args=[w.case.public_id, visit.public_id]),
        data={"reason": "The perpetrator is in custody."},
        redirect=case_page(w),
        message="Planned visit cancelled.",
        check=lambda _: w.case.visits.get(pk=visit.pk).status == "cancelled",
    )


@form("risk:new")
def _risk_new(w: World) -> Submission:
    from risk.questions import QUESTION_KEYS

    return Submission(
        user=w.officer,
        url=reverse("risk:new", args=[w.case.public_id]),
        data={"victim": str(w.victim.public_id), **{f"q_{key}": "no" for key in QUESTION_KEYS}},
        message="Risk assessment saved: standard risk.",
        check=lambda _: w.case.risk_assessments.count() == 1,
    )


@form("risk:marac_referral")
def _marac_referral(w: World) -> Submission:
    from risk.models import Answer
    from risk.questions import QUESTION_KEYS
    from risk.services import risk_assessment_record

    risk_assessment_record(
        actor=w.officer, case=w.case, victim=w.victim, answers=dict.fromkeys(QUESTION_KEYS, Answer.YES)
    )
    return Submission(
        user=w.officer,
        page=case_page(w),
        url=reverse("risk:marac_referral", args=[w.case.public_id]),
        redirect=case_page(w),
        message=f"MARAC referral recorded for {TODAY():%-d %b %Y}.",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).last_marac_referral_on == TODAY(),
    )


@form("safety_plans:children")
def _school_told(w: World) -> Submission:
    from safety_plans.models import SchoolNotification
    from safety_plans.services import school_notifications_raise

    child = CaseChildFactory(case=w.case).child
    incident = IncidentFactory(area=w.area, perpetrator=w.case.perpetrator)
    incident.children_present.add(child)
    school_notifications_raise(incident=incident)
    notification = SchoolNotification.objects.get(case=w.case, child=child)
    return Submission(
        user=w.officer,
        url=reverse("safety_plans:children", args=[w.case.public_id]),
        pick={"notification": str(notification.public_id)},
        data={"notified_on": day(0)},
        redirect=reverse("safety_plans:children", args=[w.case.public_id]),
        message="School notification for",
        check=lambda _: SchoolNotification.objects.get(pk=notification.pk).notified_on == TODAY(),
    )


@form("safety_plans:plan")
def _safety_plan(w: World) -> Submission:
    url = reverse("safety_plans:plan", args=[w.case.public_id, w.victim.public_id])
    return Submission(
        user=w.idva,
        url=url,
        data={"target_locks-status": "in_place", "target_locks-owner": "Police crime prevention"},
        redirect=url,
        message="Safety plan saved.",
        check=lambda _: w.case.safety_plans.get().measures.get(key="target_locks").status == "in_place",
    )


@form("orders:new")
def _order_new(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("orders:new", args=[w.case.public_id]),
        data={"kind": "bail", "starts_on": day(0), "ends_on": day(28), "conditions": "Not to contact the victim."},
        redirect=case_page(w),
        message="recorded.",
        check=lambda _: w.case.orders.filter(kind="bail").count() == 1,
    )


def _order(w: World):
    from orders.services import order_record

    return order_record(
        actor=w.officer,
        case=w.case,
        kind="bail",
        starts_on=TODAY(),
        ends_on=TODAY() + datetime.timedelta(days=28),
        conditions="Not to contact the victim.",
        protected_victims=[w.victim],
    )


@form("orders:detail")
def _order_breach(w: World) -> Submission:
    order = _order(w)
    url = reverse("orders:detail", args=[w.case.public_id, order.public_id])
    return Submission(
        user=w.officer,
        url=url,
        data={"occurred_on": day(0), "details": "Seen in her street.", "action_taken": "Arrested."},
        redirect=url,
        message="Breach recorded.",
        check=lambda _: order.breaches.count() == 1,
    )


@form("orders:edit")
def _order_edit(w: World) -> Submission:
    order = _order(w)
    return Submission(
        user=w.officer,
        url=reverse("orders:edit", args=[w.case.public_id, order.public_id]),
        data={"conditions": "Not to enter the town."},
        redirect=reverse("orders:detail", args=[w.case.public_id, order.public_id]),
        message="Order updated.",
        check=lambda _: type(order).objects.get(pk=order.pk).conditions == "Not to enter the town.",
    )


@form("disclosures:new")
def _disclosure_new(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("disclosures:new", args=[w.case.public_id]),
        data={
            "route": "right_to_ask",
            "person_at_risk": str(w.victim.public_id),
            "applicant_name": "The person at risk",
            "received_on": day(0),
        },
        message="Clare's Law application recorded.",
        check=lambda _: w.case.disclosure_applications.count() == 1,
    )


def _application(w: World, *, decided: bool = False):
    from disclosures.services import application_decide, application_record

    application = application_record(
        actor=w.officer,
        case=w.case,
        route="right_to_ask",
        person_at_risk=w.victim,
        applicant_name="The person at risk",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=TODAY(),
    )
    if decided:
        application = application_decide(
            actor=w.officer,
            application=application,
            decision="disclose",
            rationale="History of violence.",
            decided_on=TODAY(),
        )
    return application


@form("disclosures:detail", "decide")
def _disclosure_decide(w: World) -> Submission:
    application = _application(w)
    url = reverse("disclosures:detail", args=[w.case.public_id, application.public_id])
    return Submission(
        user=w.officer,
        url=url,
        pick={"step": "decide"},
        data={"decision": "disclose", "rationale": "History of violence.", "decided_on": day(0)},
        redirect=url,
        message="Saved.",
        check=lambda _: type(application).objects.get(pk=application.pk).decision == "disclose",
    )


@form("disclosures:detail", "outcome")
def _disclosure_outcome(w: World) -> Submission:
    application = _application(w, decided=True)
    url = reverse("disclosures:detail", args=[w.case.public_id, application.public_id])
    return Submission(
        user=w.officer,
        url=url,
        pick={"step": "outcome"},
        data={"outcome": "made", "outcome_on": day(0)},
        redirect=url,
        message="Saved.",
        check=lambda _: type(application).objects.get(pk=application.pk).outcome == "made",
    )


@form("case_referrals:new")
def _referral_new(w: World) -> Submission:
    from referrals.models import Referral

    return Submission(
        user=w.officer,
        url=reverse("case_referrals:new", args=[w.case.public_id]),
        button="Send referral",
        data={
            "to_agency": str(w.housing.pk),
            "subject_person": str(w.victim.person_id),
            "reason": "Needs rehousing away from the perpetrator.",
            "urgency": "high",
            "sharing": "summary",
            "consent": "given",
            "consent_method": "verbal",
        },
        message="sent.",
        check=lambda _: Referral.objects.get(case=w.case).status == "sent",
    )


def _referral_action(w: World, action: str, *, user, data=None, send=True, accept=False, status: str) -> Submission:
    referral = w.referral(send=send, accept=accept)
    return Submission(
        user=user,
        page=reverse("referrals:detail", args=[referral.public_id]),
        url=reverse("referrals:action", args=[referral.public_id, action]),
        data=data or {},
        redirect=reverse("referrals:detail", args=[referral.public_id]),
        message=f"Referral {referral.reference}",
        check=lambda _: type(referral).objects.get(pk=referral.pk).status == status,
    )


@form("referrals:action", "send")
def _referral_send(w: World) -> Submission:
    return _referral_action(w, "send", user=w.officer, send=False, status="sent")


@form("referrals:action", "accept")
def _referral_accept(w: World) -> Submission:
    return _referral_action(w, "accept", user=w.housing_worker, status="accepted")


@form("referrals:action", "decline")
def _referral_decline(w: World) -> Submission:
    return _referral_action(
        w, "decline", user=w.housing_worker, data={"reason": "Outside our area."}, status="declined"
    )


@form("referrals:action", "withdraw")
def _referral_withdraw(w: World) -> Submission:
    return _referral_action(w, "withdraw", user=w.officer, data={"reason": "Sent in error."}, status="withdrawn")


@form("referrals:action", "complete")
def _referral_complete(w: World) -> Submission:
    return _referral_action(
        w, "complete", user=w.housing_worker, data={"outcome": "Rehoused."}, accept=True, status="completed"
    )


@form("referrals:action", "update")
def _referral_update(w: World) -> Submission:
    submission = _referral_action(
        w, "update", user=w.housing_worker, data={"text": "First appointment booked."}, status="sent"
    )
    referral_check = submission.check
    assert referral_check is not None
    submission.check = lambda response: (
        referral_check(response)
        and "First appointment booked." in html.unescape(w.client.get(submission.page).content.decode())
    )
    return submission


@form("meetings:list")
def _meeting_schedule(w: World) -> Submission:
    from meetings.models import Meeting

    return Submission(
        user=w.officer,
        url=reverse("meetings:list"),
        data={"kind": "marac", "held_on": day(7), "attending_agencies": [str(w.idva_agency.pk)]},
        message="scheduled.",
        check=lambda _: (
            Meeting.objects.get(chair_agency=w.police).attending_agencies.filter(pk=w.idva_agency.pk).exists()
        ),
    )


@form("meetings:change", "attendance")
def _meeting_attendance(w: World) -> Submission:
    meeting = w.meeting()
    url = reverse("meetings:detail", args=[meeting.public_id])
    return Submission(
        user=w.officer,
        page=url,
        url=reverse("meetings:change", args=[meeting.public_id, "attendance"]),
        data={"attending_agencies": [str(w.idva_agency.pk), str(w.housing.pk)]},
        redirect=url,
        message="Attendance saved.",
        check=lambda _: meeting.attending_agencies.filter(pk=w.housing.pk).exists(),
    )


@form("meetings:change", "add-case")
def _meeting_add_case(w: World) -> Submission:
    meeting = w.meeting()
    url = reverse("meetings:detail", args=[meeting.public_id])
    return Submission(
        user=w.officer,
        page=url,
        url=reverse("meetings:change", args=[meeting.public_id, "add-case"]),
        button="Add to agenda",
        data={"case_reference": w.case.reference},
        redirect=url,
        message=f"Case {w.case.reference} added to the agenda",
        check=lambda _: meeting.agenda.filter(case=w.case).exists(),
    )


@form("meetings:conclude")
def _meeting_conclude(w: World) -> Submission:
    meeting = w.meeting()
    url = reverse("meetings:detail", args=[meeting.public_id])
    return Submission(
        user=w.officer,
        page=reverse("meetings:conclude", args=[meeting.public_id]),  # the confirmation, linked from the meeting
        url=reverse("meetings:conclude", args=[meeting.public_id]),
        redirect=url,
        message="Meeting concluded.",
        check=lambda _: type(meeting).objects.get(pk=meeting.pk).status == "concluded",
    )


@form("meetings:item_change", "discussion")
def _meeting_discussion(w: World) -> Submission:
    item = w.agenda_item()
    url = reverse("meetings:detail", args=[item.meeting.public_id])
    return Submission(
        user=w.officer,
        page=url,
        url=reverse("meetings:item_change", args=[item.public_id, "discussion"]),
        data={"summary": "Risk discussed; actions agreed."},
        redirect=url,
        message=f"Discussion of {w.case.reference} saved.",
        check=lambda _: type(item).objects.get(pk=item.pk).discussion_summary == "Risk discussed; actions agreed.",
    )


@form("meetings:item_change", "action")
def _meeting_action(w: World) -> Submission:
    item = w.agenda_item()
    url = reverse("meetings:detail", args=[item.meeting.public_id])
    return Submission(
        user=w.officer,
        page=url,
        url=reverse("meetings:item_change", args=[item.public_id, "action"]),
        data={"agency": str(w.idva_agency.pk), "description": "Safety planning.", "due_on": day(7)},
        redirect=url,
        message=f"Action assigned to {w.idva_agency.name}.",
        check=lambda _: item.actions.filter(assigned_agency=w.idva_agency).exists(),
    )


@form("meetings:action_complete")
def _meeting_action_complete(w: World) -> Submission:
    from meetings.services import meeting_action_assign

    idva = w.idva
    action = meeting_action_assign(
        actor=w.officer, item=w.agenda_item(), agency=w.idva_agency, description="Safety planning.", due_on=TODAY()
    )
    return Submission(
        user=idva,
        page=reverse("meetings:actions"),
        url=reverse("meetings:action_complete", args=[action.public_id]),
        data={"outcome": "Plan in place."},
        redirect=reverse("meetings:actions"),
        message="Action completed.",
        check=lambda _: type(action).objects.get(pk=action.pk).status == "completed",
    )


CSV = (
    "source_reference,occurred_at,area,offence_category,perpetrator_given_name,perpetrator_family_name\n"
    # Yesterday at 10:00: an incident of today at 10:00 is in the future before 10 in the morning.
    "FORM/1,{date} 10:00,North,common_assault,Gary,Guard\n"
)


@form("incidents:import")
def _import_upload(w: World) -> Submission:
    from incidents.models import IncidentImport

    def check(response) -> bool:
        job = IncidentImport.objects.get(uploaded_by=w.analyst)
        assert urlsplit(response["Location"]).path == reverse("incidents:import_detail", args=[job.public_id])
        return job.status == "checked"

    content = CSV.format(date=(TODAY() - datetime.timedelta(days=1)).isoformat()).encode()
    return Submission(
        user=w.analyst,
        url=reverse("incidents:import"),
        data={"file": SimpleUploadedFile("incidents.csv", content, content_type="text/csv")},
        message="Checked (dry run)",
        check=check,
    )


@form("incidents:import_confirm")
def _import_confirm(w: World) -> Submission:
    from incidents.jobs import count_rows, import_job_start
    from incidents.models import Incident, IncidentImport

    content = CSV.format(date=(TODAY() - datetime.timedelta(days=1)).isoformat())
    job = IncidentImport.objects.create(
        agency=w.police,
        uploaded_by=w.analyst,
        filename="incidents.csv",
        content=content,
        status="waiting_check",
        rows_total=count_rows(content),
    )
    job = import_job_start(actor=w.analyst, job=job, dry_run=True)
    assert job.status == "checked", job.report
    detail = reverse("incidents:import_detail", args=[job.public_id])
    return Submission(
        user=w.analyst,
        page=detail,
        url=reverse("incidents:import_confirm", args=[job.public_id]),
        redirect=detail,
        message="Incidents imported.",
        check=lambda _: Incident.objects.filter(source_reference="FORM/1").exists(),
    )


def _scored_perpetrator(w: World):
    from scoring.services import scores_refresh

    incident = IncidentFactory(area=w.area)
    scores_refresh(agency=w.police)
    return incident.perpetrator


@form("incidents:import_run_again")
def _import_run_again(w: World) -> Submission:
    from incidents.jobs import count_rows
    from incidents.models import Incident, IncidentImport

    content = CSV.format(date=(TODAY() - datetime.timedelta(days=1)).isoformat())
    job = IncidentImport.objects.create(
        agency=w.police,
        uploaded_by=w.analyst,
        filename="incidents.csv",
        content=content,
        status="failed",
        rows_total=count_rows(content),
        report={"errors": [], "failed": "import", "failure": "The job stopped with an error."},
    )
    detail = reverse("incidents:import_detail", args=[job.public_id])
    return Submission(
        user=w.analyst,
        page=detail,
        url=reverse("incidents:import_run_again", args=[job.public_id]),
        redirect=detail,
        message="Incidents imported.",
        check=lambda _: Incident.objects.filter(source_reference="FORM/1").exists(),
    )


@form("accounts:keep_alive")
def _keep_alive(w: World) -> Submission:
    return Submission(
        user=w.officer,
        page=reverse("cases:caseload"),
        url=reverse("accounts:keep_alive"),
        button="Stay signed in",
        status=200,
        check=lambda response: response.json()["remaining_seconds"] > 0,
    )


@form("scoring:open_cases")
def _open_cases(w: World) -> Submission:
    from cases.models import Case

    perpetrator = _scored_perpetrator(w)
    operation = w.case.operation
    return Submission(
        user=w.supervisor,
        page=reverse("scoring:ranking"),
        url=reverse("scoring:open_cases"),
        data={"perpetrator": [str(perpetrator.public_id)], "operation_for_cases": str(operation.public_id)},
        redirect=reverse("scoring:ranking"),
        message="1 case opened in",
        check=lambda _: Case.objects.filter(perpetrator=perpetrator, operation=operation).exists(),
    )


@form("scoring:refresh")
def _refresh_scores(w: World) -> Submission:
    from scoring.models import PerpetratorScore

    IncidentFactory(area=w.area)
    return Submission(
        user=w.supervisor,
        page=reverse("scoring:ranking"),
        url=reverse("scoring:refresh"),
        redirect=reverse("scoring:ranking"),
        message="Scores recomputed",
        check=lambda _: PerpetratorScore.objects.filter(agency=w.police).exists(),
    )


@form("scoring:tasking")
def _tasking(w: World) -> Submission:
    from scoring.models import TaskingSnapshot

    _scored_perpetrator(w)
    return Submission(
        user=w.analyst,
        url=reverse("scoring:tasking"),
        data={"area": str(w.area.public_id), "top_n": "5"},
        message="saved.",
        check=lambda _: TaskingSnapshot.objects.filter(area=w.area, top_n=5).exists(),
    )


@form("people:duplicate_detail")
def _duplicate(w: World) -> Submission:
    from people.models import DuplicateCandidate
    from tests.factories import PersonFactory

    first, second = sorted([PersonFactory(), PersonFactory()], key=lambda person: person.pk)
    pair = DuplicateCandidate.objects.create(first=first, second=second, reason="similar names", agency=w.police)
    return Submission(
        user=w.supervisor,
        url=reverse("people:duplicate_detail", args=[pair.public_id]),
        data={"decision": "keep_apart", "reason": "Different dates of birth."},
        redirect=reverse("people:duplicates"),
        message="Kept apart",
        check=lambda _: DuplicateCandidate.objects.get(pk=pair.pk).status != "open",
    )


@form("reminders:dismiss")
def _dismiss(w: World) -> Submission:
    reminder = ReminderFactory(case=w.case, assignee=w.officer)
    return Submission(
        user=w.officer,
        url=reverse("reminders:dismiss", args=[reminder.public_id]),
        data={"reason": "Visited yesterday; recorded by a colleague."},
        redirect=reverse("reminders:my_tasks"),
        message="Task dismissed",
        check=lambda _: type(reminder).objects.get(pk=reminder.pk).status != "open",
    )


@form("oversight:holder", "reallocate")
def _reallocate(w: World) -> Submission:
    url = reverse("oversight:holder", args=[w.officer.public_id])
    colleague = w.colleague
    return Submission(
        user=w.supervisor,
        url=url,
        pick={"action": "reallocate"},
        data={
            "case": [str(w.case.public_id)],
            "field": "spoc",
            "to_user": str(colleague.pk),
            "reason": "Olivia is on a course.",
        },
        redirect=url,
        message="1 case reallocated.",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).spoc_id == colleague.pk,
    )


@form("oversight:holder", "move")
def _move_caseload(w: World) -> Submission:
    case, colleague = w.case, w.colleague
    return Submission(
        user=w.supervisor,
        page=reverse("oversight:holder", args=[w.officer.public_id]),
        url=reverse("oversight:holder", args=[w.officer.public_id]),
        pick={"action": "move"},
        data={"to_user": str(colleague.pk), "reason": "Leave from 1 to 14 June."},
        confirm="Move all 1 case",
        redirect=reverse("oversight:team"),
        message="1 case role reallocated.",
        check=lambda _: type(case).objects.get(pk=case.pk).spoc_id == colleague.pk,
    )


@form("oversight:closures")
def _closure_decide(w: World) -> Submission:
    from oversight.services import closure_request

    request = closure_request(actor=w.officer, case=w.case, reason="No incidents for twelve months.")
    return Submission(
        user=w.supervisor,
        url=reverse("oversight:closures"),
        pick={"request": str(request.public_id)},
        data={"decision": "approve"},
        redirect=reverse("oversight:closures"),
        message=f"Decision recorded for case {w.case.reference}",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).status == "closed",
    )


@form("oversight:closure_request")
def _closure_request(w: World) -> Submission:
    from oversight.models import CaseClosureRequest

    return Submission(
        user=w.officer,
        url=reverse("oversight:closure_request", args=[w.case.public_id]),
        data={"reason": "No incidents for twelve months."},
        redirect=case_page(w),
        message="Closure requested",
        check=lambda _: CaseClosureRequest.objects.filter(case=w.case, status="pending").exists(),
    )


@form("offender_management:allocate")
def _allocate(w: World) -> Submission:
    perpetrator = w.case.perpetrator
    return Submission(
        user=w.officer,
        url=reverse("offender_management:allocate", args=[perpetrator.public_id]),
        data={"programme": "drive", "starts_on": day(0), "lead_agency": str(w.police.pk)},
        redirect=reverse("perpetrators:detail", args=[perpetrator.public_id]),
        message="Allocated to Drive.",
        check=lambda _: perpetrator.allocations.filter(programme="drive").exists(),
    )


@form("offender_management:end_allocation")
def _end_allocation(w: World) -> Submission:
    from offender_management.services import programme_allocate

    perpetrator = w.case.perpetrator
    allocation = programme_allocate(
        actor=w.officer,
        perpetrator=perpetrator,
        programme="drive",
        starts_on=TODAY() - datetime.timedelta(days=30),
        ends_on=None,
        lead_agency=w.police,
    )
    return Submission(
        user=w.officer,
        url=reverse("offender_management:end_allocation", args=[perpetrator.public_id, allocation.public_id]),
        data={"ends_on": day(0), "reason": "Programme completed."},
        redirect=reverse("perpetrators:detail", args=[perpetrator.public_id]),
        message="Drive allocation ended.",
        check=lambda _: type(allocation).objects.get(pk=allocation.pk).ends_on == TODAY(),
    )


@form("offender_management:record_intervention")
def _intervention(w: World) -> Submission:
    perpetrator = w.case.perpetrator
    return Submission(
        user=w.officer,
        url=reverse("offender_management:record_intervention", args=[perpetrator.public_id]),
        data={"kind": "disruption", "occurred_on": day(0), "description": "Warning letter delivered."},
        redirect=reverse("perpetrators:detail", args=[perpetrator.public_id]),
        message="Intervention recorded.",
        check=lambda _: perpetrator.interventions.filter(kind="disruption").exists(),
    )


@form("documents:new")
def _document_new(w: World) -> Submission:
    from documents.models import Document

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return Submission(
        user=w.officer,
        url=reverse("documents:new", args=["case", w.case.public_id]),
        data={
            "title": "Non-molestation order",
            "kind": "court_order",
            "visibility": "victim_side",
            "file": SimpleUploadedFile("order.pdf", pdf, content_type="application/pdf"),
        },
        redirect=reverse("cases:detail", args=[w.case.public_id]),
        message="Document added: Non-molestation order.",
        check=lambda _: Document.objects.filter(case=w.case, title="Non-molestation order").exists(),
    )


def _due_case(w: World):
    from tests.records.conftest import close_long_ago

    return close_long_ago(CaseFactory(area=w.area, spoc=w.officer), actor=w.supervisor)


@form("records:review")
def _retention_retain(w: World) -> Submission:
    from records.models import RetentionReview

    case = _due_case(w)
    dpo = UserFactory(area=None, agency=w.police, role=Role.DPO, scope=Scope.NONE)
    return Submission(
        user=dpo,
        url=reverse("records:review", args=[case.public_id]),
        data={"reason": "A new incident was reported last month.", "next_review_on": day(365)},
        redirect=reverse("records:reviews"),
        message=f"Case {case.reference} retained",
        check=lambda _: RetentionReview.objects.filter(case=case).exists(),
    )


@form("records:dispose")
def _retention_dispose(w: World) -> Submission:
    from cases.models import Case

    case = _due_case(w)
    dpo = UserFactory(area=None, agency=w.police, role=Role.DPO, scope=Scope.NONE)
    return Submission(
        user=dpo,
        url=reverse("records:dispose", args=[case.public_id]),
        data={"reason": "Review period passed; no contact since closure."},
        message=f"Case {case.reference} disposed of",
        check=lambda _: not Case.objects.filter(pk=case.pk).exists(),
    )


@form("records:subject_access_person")
def _subject_access(w: World) -> Submission:
    from records.models import SubjectAccessRequest

    dpo = UserFactory(area=None, agency=w.police, role=Role.DPO, scope=Scope.NONE)
    person = w.case.perpetrator.person
    return Submission(
        user=dpo,
        url=reverse("records:subject_access_person", args=[person.public_id]),
        data={"reference": "SAR-2026-0142"},
        message="Export ready for SAR-2026-0142",
        check=lambda _: SubjectAccessRequest.objects.filter(person=person, reference="SAR-2026-0142").exists(),
    )


@form("audit:break_glass_review")
def _break_glass_review(w: World) -> Submission:
    from cases.access.models import BreakGlassAccess
    from cases.access.services import break_glass_open

    elsewhere = CaseFactory(area=AreaFactory(agency=w.police))
    break_glass_open(
        user=w.supervisor, case_reference=elsewhere.reference, reason="The victim rang the North team out of hours."
    )
    access = BreakGlassAccess.objects.get(case=elsewhere)
    return Submission(
        user=w.auditor,
        page=reverse("audit:break_glass_reviews"),
        url=reverse("audit:break_glass_review", args=[access.public_id]),
        data={"note": "Reason checked with the supervisor's inspector."},
        redirect=reverse("audit:break_glass_reviews"),
        message=f"Break-glass access to {elsewhere.reference} marked as reviewed.",
        check=lambda _: BreakGlassAccess.objects.get(pk=access.pk).reviewed_at is not None,
    )


@form("admin:people_personmerge_reverse")
def _reverse_merge(w: World) -> Submission:
    from people.merging import people_merge
    from people.models import PersonMerge
    from tests.factories import PersonFactory

    kept, merged = PersonFactory(), PersonFactory()
    merge = people_merge(actor=w.supervisor, kept=kept, merged=merged, reason="Same person, two records.")
    return Submission(
        user=w.admin,
        url=reverse("admin:people_personmerge_reverse", args=[merge.pk]),
        data={"reason": "They are twins: two people."},
        redirect=reverse("admin:people_personmerge_changelist"),
        message="Reversed:",
        check=lambda _: PersonMerge.objects.get(pk=merge.pk).reversed_at is not None,
    )


@form("accounts:login")
def _sign_in(w: World) -> Submission:
    user = UserFactory()

    def check(response) -> bool:
        # Signed in with the password: every page now asks for the second factor.
        assert "second-factor" in w.client.get(response["Location"])["Location"]
        return w.client.session.get("_auth_user_id") == str(user.pk)

    return Submission(
        user=None,
        url=reverse("accounts:login"),
        data={"username": user.username, "password": TEST_PASSWORD},
        check=check,
    )


def _password_given(w: World, user) -> None:
    response = w.client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


@form("accounts:second_factor", "code")
def _second_factor(w: World) -> Submission:
    user = UserFactory()
    _password_given(w, user)
    return Submission(
        user=None,
        url=reverse("accounts:second_factor"),
        data={"token": current_totp(user)},
        redirect=reverse("cases:home"),
        check=lambda _: w.client.get(reverse("cases:caseload")).status_code == 200,
    )


@form("accounts:second_factor", "enrol")
def _enrol(w: World) -> Submission:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(authenticator=False)
    _password_given(w, user)

    def token() -> str:
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"

    submission = Submission(
        user=None,
        url=reverse("accounts:second_factor"),
        check=lambda response: "recovery-codes" in response["Location"] and TOTPDevice.objects.get(user=user).confirmed,
    )
    submission.data = {"token": token}  # the device is made when the page is shown: read at submission
    return submission


@form("accounts:logout")
def _sign_out(w: World) -> Submission:
    return Submission(
        user=w.officer,
        page=reverse("cases:caseload"),
        url=reverse("accounts:logout"),
        button="Sign out",
        redirect=reverse("accounts:login"),
        check=lambda _: "_auth_user_id" not in w.client.session,
    )


def _api(w: World, action: str, body: dict, *, accept: bool = False, status: str, code: int = 200) -> Submission:
    referral = w.referral(accept=accept)
    return Submission(
        user=w.housing_worker,
        url=reverse(f"api:referral-{action}", args=[referral.public_id]),
        data=body,
        api=True,
        status=code,
        check=lambda _: type(referral).objects.get(pk=referral.pk).status == status,
    )


@form("api:referral-accept")
def _api_accept(w: World) -> Submission:
    return _api(w, "accept", {}, status="accepted")


@form("api:referral-decline")
def _api_decline(w: World) -> Submission:
    return _api(w, "decline", {"reason": "Outside our area."}, status="declined")


@form("api:referral-complete")
def _api_complete(w: World) -> Submission:
    return _api(w, "complete", {"outcome": "Rehoused."}, accept=True, status="completed")


@form("api:referral-updates")
def _api_updates(w: World) -> Submission:
    submission = _api(w, "updates", {"text": "Visit booked."}, status="sent", code=201)
    submission.check = lambda response: response.json()["text"] == "Visit booked."
    return submission


@form("notes:new")
def _note_new(w: World) -> Submission:
    return Submission(
        user=w.idva,
        url=reverse("notes:new", args=[w.case.public_id]) + "?kind=contact",
        data={
            "kind": "contact",
            "side": "victim",
            "occurred_on": day(0),
            "method": "phone",
            "with_whom": "The victim",
            "outcome": "Safe; visit agreed",
            "text": "Rang on the safe number.",
        },
        redirect=reverse("notes:list", args=[w.case.public_id]),
        message="Contact logged.",
        check=lambda _: w.case.notes.filter(kind="contact", method="phone", author=w.idva).count() == 1,
    )


def _a_note(w: World, author):
    from notes.services import note_write

    return note_write(actor=author, case=w.case, kind="note", side="victim", occurred_on=TODAY(), text="Note.")


@form("notes:detail")
def _note_annotate(w: World) -> Submission:
    note = _a_note(w, w.idva)
    url = reverse("notes:detail", args=[w.case.public_id, note.public_id])
    return Submission(
        user=w.officer,
        url=url,
        data={"text": "Checked with the victim."},
        redirect=url,
        message="Annotation added.",
        check=lambda _: note.annotations.filter(text="Checked with the victim.").exists(),
    )


@form("notes:edit")
def _note_edit(w: World) -> Submission:
    note = _a_note(w, w.officer)
    return Submission(
        user=w.officer,
        url=reverse("notes:edit", args=[w.case.public_id, note.public_id]),
        data={"text": "Note, corrected."},
        redirect=reverse("notes:detail", args=[w.case.public_id, note.public_id]),
        message="Note corrected.",
        check=lambda _: type(note).objects.get(pk=note.pk).text == "Note, corrected.",
    )


@form("victims:details")
def _victim_details(w: World) -> Submission:
    from victims.models import VictimConfidential

    return Submission(
        user=w.idva,
        url=reverse("victims:details", args=[w.victim.public_id]),
        data={"address": "2 Safe Street", "in_refuge": "yes"},
        redirect=reverse("victims:detail", args=[w.victim.public_id]),
        message="Details saved.",
        check=lambda _: VictimConfidential.objects.get(victim=w.victim).address == "2 Safe Street",
    )


@form("victims:child_details")
def _child_details(w: World) -> Submission:
    from victims.models import ChildConfidential

    child = CaseChildFactory(case=w.case).child
    return Submission(
        user=w.officer,
        url=reverse("victims:child_details", args=[child.public_id]) + f"?case={w.case.public_id}",
        data={"school": "Safe Academy"},
        redirect=case_page(w),
        message="Details saved.",
        check=lambda _: ChildConfidential.objects.get(child=child).school == "Safe Academy",
    )


@form("cases:operation_new")
def _operation_new(w: World) -> Submission:
    from cases.models import Operation

    return Submission(
        user=w.supervisor,
        url=reverse("cases:operation_new"),
        data={"name": "Op Mistletoe", "starts_on": day(7), "ends_on": day(40), "areas": [str(w.area.pk)]},
        message="Operation Op Mistletoe set up.",
        check=lambda _: Operation.objects.filter(name="Op Mistletoe", areas=w.area).exists(),
    )


@form("cases:operation_edit")
def _operation_edit(w: World) -> Submission:
    operation = w.case.operation
    return Submission(
        user=w.supervisor,
        url=reverse("cases:operation_edit", args=[operation.public_id]),
        data={"name": "Op County (winter)", "ends_on": day(60)},
        redirect=reverse("cases:operation_detail", args=[operation.public_id]),
        message="Operation saved.",
        check=lambda _: type(operation).objects.get(pk=operation.pk).name == "Op County (winter)",
    )


@form("cases:operation_add_case")
def _operation_add_case(w: World) -> Submission:
    from cases.models import Operation

    operation = Operation.objects.create(name="Op Mistletoe", lead_agency=w.police, starts_on=TODAY())
    return Submission(
        user=w.supervisor,
        url=reverse("cases:operation_add_case", args=[operation.public_id]),
        data={"case_reference": w.case.reference},
        redirect=reverse("cases:operation_detail", args=[operation.public_id]),
        message=f"Case {w.case.reference} added to Op Mistletoe.",
        check=lambda _: type(w.case).objects.get(pk=w.case.pk).operation_id == operation.pk,
    )


# Apps may keep their entries beside this file, in tests/guards/forms_<app>.py, registering with
# `form` and building on `World` and `Submission` from here.
for _path in sorted(Path(__file__).parent.glob("forms_*.py")):
    importlib.import_module(f"tests.guards.{_path.stem}")


# --- The tests ------------------------------------------------------------------------------------------


def test_every_form_has_a_test() -> None:
    names = post_url_names()
    assert len(names) >= 30, names  # the detection finds the app's forms
    assert "cases:detail" not in names and "visits:new" in names and "api:referral-accept" in names
    missing = [name for name in names if name not in FORMS]
    assert not missing, f"forms without a test: add them to FORMS in {__file__}: {missing}"
    stale = [name for name in FORMS if name not in names]
    assert not stale, f"FORMS has entries for URLs that take no POST (or no longer exist): {stale}"


def test_every_form_behind_one_url_has_a_test() -> None:
    """A view that tells forms apart by a slug of its URL (meetings:change/attendance, .../add-case)
    has one entry per slug value, named by it."""
    routes = dict(project_routes())
    for name in post_url_names():
        choices = slug_choices(routes[name])
        if choices:
            missing = choices - set(FORMS.get(name, {}))
            assert not missing, f"{name}: add FORMS entries @form({name!r}, ...) for {sorted(missing)}"
    assert slug_choices(routes["referrals:action"]) >= {"accept", "decline", "withdraw"}


def _cases() -> list:
    params = []
    for name, variants in sorted(FORMS.items()):
        for variant in sorted(variants):
            test_id = f"{name}[{variant}]" if variant else name
            marks = []
            if test_id in KNOWN_FAILING_FORMS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILING_FORMS[test_id]))
            params.append(pytest.param(name, variant, id=test_id, marks=marks))
    return params


def test_the_known_failures_name_real_forms() -> None:
    ids = {param.id for param in _cases()}
    assert set(KNOWN_FAILING_FORMS) <= ids, set(KNOWN_FAILING_FORMS) - ids


def choose_form(forms: list[Form], page: str, url: str, submission: Submission) -> Form:
    posting = [f for f in forms if f.method == "post" and urlsplit(f.action or page).path == urlsplit(url).path]
    assert posting, f"{page} shows no form that posts to {url}"
    if submission.pick:
        posting = [f for f in posting if set(submission.pick.items()) <= set(f.as_it_stands())]
        assert posting, f"no form on {page} posting to {url} has {submission.pick}"
    if submission.button:
        posting = [f for f in posting if any(submission.button in label for _, _, label in f.buttons)]
        assert posting, f"no form on {page} posting to {url} has a button {submission.button!r}"
    return posting[0]


def fill(form_: Form, values: dict) -> dict[str, object]:
    """The form as it stands, with the entry's values typed over its fields. Every value must go in a
    field the form has (a prefix such as 'a12-' may be left out), with a choice it offers."""
    data: dict[str, Any] = {}
    for name, value in form_.as_it_stands():
        data.setdefault(name, []).append(value)
    fields = {f.name: f for f in form_.fields}
    for key, value in values.items():
        names = [key] if key in fields else [name for name in fields if name.endswith(f"-{key}")]
        assert len(names) == 1, f"the form has no field {key!r} (its fields: {sorted(fields)})"
        field_ = fields[names[0]]
        value = value() if callable(value) else value
        typed = value if isinstance(value, list) else [value]
        offered = {v for f in form_.fields if f.name == field_.name for v in _offered(f)}
        if offered:
            assert {str(v) for v in typed} <= offered, f"{field_.name}: {typed} not among the choices {offered}"
        data[field_.name] = typed
    if form_.buttons and form_.buttons[0][0]:
        data.setdefault(form_.buttons[0][0], [form_.buttons[0][1]])
    return data


def _offered(f) -> list[str]:
    if f.kind in {"select", "select-multiple"}:
        return [value for value, _ in f.options]
    if f.kind in {"radio", "checkbox"}:
        return [f.value or "on"]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "variant"), _cases())
def test_a_valid_submission_succeeds(client, name, variant) -> None:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    w = World(client)
    submission = FORMS[name][variant](w)
    assert resolve(urlsplit(submission.url).path).view_name == name

    if submission.api:
        assert submission.user is not None
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=submission.user).key}")
        response = api.post(submission.url, submission.data, format="json")
        assert response.status_code == submission.status, response.content
        assert submission.check is None or submission.check(response), response.content
        return

    if submission.user is not None:
        w.signed_in(submission.user)
    page = submission.page or submission.url
    shown = client.get(page)
    assert shown.status_code == 200, f"GET {page}: {shown.status_code}"
    chosen = choose_form(forms_of(shown.content.decode()), page, submission.url, submission)
    data = fill(chosen, submission.data)

    response = client.post(submission.url, data)
    if submission.confirm:
        assert response.status_code == 200, f"POST {submission.url}: {response.status_code}, not a confirmation page"
        assert submission.check is None or not submission.check(response), f"{name}: done before it was confirmed"
        confirmation = response.content.decode()
        asked = Submission(user=None, url=submission.url, button=submission.confirm)
        chosen = choose_form(forms_of(confirmation), submission.url, submission.url, asked)
        response = client.post(submission.url, fill(chosen, {}))
    errors = re.findall(r'govuk-error-message">(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)', response.content.decode())
    assert response.status_code == submission.status, (
        f"POST {submission.url}: {response.status_code}; errors shown: {errors or 'none'}"
    )
    if submission.redirect is not None:
        assert urlsplit(response["Location"]).path == submission.redirect
    if submission.message:
        following = client.get(response["Location"]) if response.status_code in (301, 302, 303) else response
        assert following.status_code == 200
        assert submission.message in html.unescape(following.content.decode()), (
            f"{submission.message!r} not shown after {name}"
        )
    if submission.check is not None:
        assert submission.check(response), f"{name}: the record was not made"

"""Every form saves once, however often it is sent (dacrre.core.form_tokens).

A double click, or the same form sent again from the browser's history, must not store a second
visit, assessment, referral or action: the second POST is sent to what the first one saved.
"""

import inspect
import re
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cases.models import ChronologyEntry, ChronologyKind
from dacrre.accounts.models import Role, Scope
from dacrre.core.form_tokens import ALREADY_SAVED, FIELD
from dacrre.core.models import FormSubmission
from meetings.models import ActionStatus, AgendaItem, MeetingKind
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from referrals.models import Consent, Referral, Sharing, Urgency
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTIONS
from tests.factories import (
    TEST_PASSWORD,
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    UserFactory,
    VictimSideAgencyFactory,
    current_totp,
)
from visits import services as visit_services
from visits.models import Visit, VisitOutcome

TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')
ROOT = Path(settings.BASE_DIR)


def _token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    return TOKEN.search(page.content.decode()).group(1)


def _visit_data(token: str) -> dict:
    return {
        FIELD: token,
        "subject": "perpetrator",
        "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
        "outcome": VisitOutcome.SEEN,
        "notes": "Seen at home",
    }


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    return officer, case, victim


def _visit_entries(case) -> int:
    return ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.VISIT).count()


@pytest.mark.django_db
def test_the_visit_form_sent_twice_stores_one_visit_and_shows_the_first_result(officer_case, login) -> None:
    officer, case, _ = officer_case
    client = login(officer)
    url = f"/cases/{case.public_id}/visits/new/"
    data = _visit_data(_token(client, url))
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data, follow=True)
    assert Visit.objects.filter(case=case).count() == 1
    assert _visit_entries(case) == 1
    assert second.redirect_chain == [(first["Location"], 302)]
    assert ALREADY_SAVED in second.content.decode()
    # A new form is a new token: a second, real visit is stored.
    client.post(url, _visit_data(_token(client, url)))
    assert Visit.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_a_form_with_errors_gives_its_token_back_so_the_corrected_form_saves(officer_case, login) -> None:
    officer, case, _ = officer_case
    client = login(officer)
    url = f"/cases/{case.public_id}/visits/new/"
    data = _visit_data(_token(client, url))
    bad = client.post(url, {**data, "outcome": VisitOutcome.SAFEGUARDING})  # safeguarding details missing
    assert bad.status_code == 200 and "Describe the safeguarding concern" in bad.content.decode()
    assert not FormSubmission.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Visit.objects.filter(case=case).count() == 1
    assert FormSubmission.objects.get().result_url == f"/cases/{case.public_id}/"


@pytest.mark.django_db
def test_a_token_sent_by_another_user_saves_nothing(officer_case, login) -> None:
    officer, case, _ = officer_case
    colleague = UserFactory(area=officer.area)
    case.offender_manager = colleague
    case.save()
    client = login(officer)
    url = f"/cases/{case.public_id}/visits/new/"
    data = _visit_data(_token(client, url))
    assert client.post(url, data).status_code == 302
    other = login(colleague)
    assert other.post(url, data).status_code == 400
    assert Visit.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_the_dash_form_sent_twice_stores_one_assessment(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    url = f"/cases/{case.public_id}/risk/new/"
    data = {f"q_{q.key}": Answer.NO for q in QUESTIONS} | {"victim": str(victim.public_id)}
    data[FIELD] = _token(client, url)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]  # the assessment saved the first time
    assert RiskAssessment.objects.filter(case=case).count() == 1
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.RISK_ASSESSMENT).count() == 1


@pytest.mark.django_db
def test_the_referral_form_sent_twice_stores_and_sends_one_referral(officer_case, login) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    client = login(officer)
    url = f"/cases/{case.public_id}/referrals/new/"
    data = {
        FIELD: _token(client, url),
        "to_agency": housing.pk,
        "subject_person": victim.person_id,
        "reason": "Needs rehousing",
        "urgency": Urgency.MEDIUM,
        "sharing": Sharing.SUMMARY,
        "consent": Consent.GIVEN,
        "consent_method": "verbal",
        "send": "1",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert Referral.objects.filter(case=case).count() == 1
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.REFERRAL).count() == 1


@pytest.mark.django_db
def test_meeting_forms_sent_twice_add_the_case_once_and_complete_the_action_once(login) -> None:
    chair = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    housing = VictimSideAgencyFactory()
    worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER)
    meeting = meeting_schedule(
        actor=chair, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=[housing]
    )
    case = CaseFactory(area=chair.area)
    client = login(chair)
    detail = f"/meetings/{meeting.public_id}/"
    add = {FIELD: _token(client, detail), "case_reference": case.reference}
    assert client.post(f"{detail}add-case/", add).status_code == 302
    assert client.post(f"{detail}add-case/", add).status_code == 302  # not "already on the agenda"
    assert AgendaItem.objects.filter(meeting=meeting, case=case).count() == 1
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.MEETING).count() == 1

    item = AgendaItem.objects.get(meeting=meeting, case=case)
    action = meeting_action_assign(
        actor=chair, item=item, agency=housing, description="Offer a flat", due_on=timezone.localdate()
    )
    client = login(worker)
    done = {FIELD: _token(client, "/meetings/actions/"), f"o{action.pk}-outcome": "Flat offered"}
    first = client.post(f"/meetings/actions/{action.public_id}/complete/", done)
    second = client.post(f"/meetings/actions/{action.public_id}/complete/", done, follow=True)
    assert first.status_code == 302 and ALREADY_SAVED in second.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    entries = ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.MEETING, summary__contains="completed")
    assert entries.count() == 1


def _signed_in_client(user) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    client.post("/accounts/second-factor/", {"token": current_totp(user)})
    return client


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", ["visit", "agenda"])
def test_two_posts_of_one_form_at_the_same_moment_store_one_record(form, monkeypatch) -> None:
    officer = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    case = CaseFactory(area=officer.area, spoc=officer)
    clients = [_signed_in_client(officer), _signed_in_client(officer)]
    if form == "visit":
        url = f"/cases/{case.public_id}/visits/new/"
        data = _visit_data(_token(clients[0], url))
        real = visit_services.visit_log

        def slow_visit_log(**kwargs):  # widen the window in which the second POST arrives
            time.sleep(0.5)
            return real(**kwargs)

        monkeypatch.setattr(visit_services, "visit_log", slow_visit_log)
        stored = lambda: (Visit.objects.filter(case=case).count(), _visit_entries(case))  # noqa: E731
    else:
        meeting = meeting_schedule(
            actor=officer, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=[]
        )
        url = f"/meetings/{meeting.public_id}/add-case/"
        data = {FIELD: _token(clients[0], f"/meetings/{meeting.public_id}/"), "case_reference": case.reference}
        real_add = meeting_add_case

        def slow_add_case(**kwargs):
            time.sleep(0.5)
            return real_add(**kwargs)

        import meetings.views

        monkeypatch.setattr(meetings.views.services, "meeting_add_case", slow_add_case)
        stored = lambda: (  # noqa: E731
            AgendaItem.objects.filter(case=case).count(),
            ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.MEETING).count(),
        )
    responses: list = []

    def send(client):
        try:
            responses.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    threads[0].start()
    time.sleep(0.2)  # the first holds the token while it saves; the second arrives meanwhile
    threads[1].start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert stored() == (1, 1)


# Views that take a POST but are not forms of the application: signing in and out.
NOT_FORMS = {"accounts:"}
# POST forms outside the application's pages (the Django admin) or signing in.
TEMPLATES_WITHOUT_TOKENS = {"templates/accounts/", "templates/admin/", "templates/base.html"}


def _views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _views(entry.url_patterns, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", entry.callback


def _handles_a_form(callback) -> bool:
    """A page view that reads a POST (the API's viewsets are not forms: they are not pages). The
    source of a decorated function starts at its decorators, so `require_POST` is seen too."""
    if hasattr(callback, "cls") or hasattr(callback, "view_class"):
        return False
    source = inspect.getsource(inspect.unwrap(callback))
    return "request.POST" in source or "require_POST" in source


def test_every_view_that_handles_a_form_saves_once() -> None:
    """Enumerated from the URLs: a new form view without `form_view` fails here."""
    forms, missing = [], []
    for name, callback in _views():
        if any(name.startswith(prefix) for prefix in NOT_FORMS) or not _handles_a_form(callback):
            continue
        forms.append(name)
        if not getattr(callback, "form_view", False):
            missing.append(name)
    assert len(forms) >= 25, forms
    assert missing == [], f"views that handle a form without dacrre.core.form_tokens.form_view: {missing}"
    for name in ("visits:new", "risk:new", "case_referrals:new", "meetings:item_change", "oversight:closure_request"):
        assert name in forms


def test_every_post_form_carries_a_token_and_stops_double_clicks() -> None:
    """Every form in the templates that posts carries the one-time token, and each of its buttons is a
    GOV.UK button that ignores a second click."""
    forms = 0
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = str(path.relative_to(ROOT))
        if relative.startswith(tuple(TEMPLATES_WITHOUT_TOKENS)):
            continue
        text = path.read_text()
        for match in re.finditer(r"<form\b[^>]*>", text):
            if 'method="post"' not in match.group(0):
                continue
            forms += 1
            end = text.find("</form>", match.end())
            body = text[match.end() : end if end != -1 else len(text)]
            assert '{% include "includes/form_token.html" %}' in body, f"{relative}: a form without its token"
            for button in re.findall(r"<button\b[^>]*>", body):
                assert 'data-module="govuk-button"' in button, f"{relative}: {button}"
                assert 'data-prevent-double-click="true"' in button, f"{relative}: {button}"
    assert forms >= 35


def test_the_page_script_starts_the_govuk_buttons() -> None:
    """Double-click prevention is GOV.UK Frontend's Button component, started by initAll."""
    script = (ROOT / "static/js/dacrre.mjs").read_text()
    assert "initAll()" in script and "govuk-frontend" in script
    base = (ROOT / "templates/base.html").read_text()
    assert "js/dacrre.mjs" in base


@pytest.mark.django_db
def test_a_form_sent_back_with_an_error_message_saved_nothing_and_is_not_called_saved(login) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    client = login(supervisor)
    data = {FIELD: _token(client, "/scoring/"), "operation_for_cases": ""}
    for _ in range(2):
        page = client.post("/scoring/open-cases/", data, follow=True).content.decode()
        assert "Choose an operation and at least one perpetrator" in page
        assert ALREADY_SAVED not in page
    assert not FormSubmission.objects.exists()

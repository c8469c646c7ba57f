"""Every record page and download writes its access-log row, like the permission matrix: enumerated.

Each URL pattern of the project (django.urls.get_resolver, the admin's own apart) is in exactly one
of the lists below: a record page (shows one record: its fetcher logs it), a download (a file of a
record), a list (search, inbox, queue, export: rows_listed logs it), an action (a POST that changes a
record, reached through the same fetchers; the permission matrix posts to each), or not a record page,
with the reason. Each record page, download and list is then requested, in the permission matrix's
world, by an actor the matrix lets in, and the request must write at least one AccessLog row; a
record page's or download's row must name the record (its id, its person, or its case).

A new URL pattern in none of the lists fails `test_every_url_is_classified`, saying where to add it.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from dacrre.audit.models import AccessLog
from tests.permissions.test_matrix import (
    ADMIN_NAMESPACE,
    _all_named_patterns,
    _client_for,
    _matrix,
    world,  # noqa: F401 - the permission matrix's world, built once for this module too
)

# One record: the page's fetcher (cases.http.case_for, visits.http.visit_for...) writes its row.
RECORD_PAGES = {
    "cases:detail",
    "cases:status",
    "cases:reopen",
    "intake:add_victim",
    "intake:add_child",
    "oversight:staff",
    "oversight:transfer_request",
    "casefile:summary",
    "notes:list",  # a case's notes, reached through case_for
    "notes:new",
    "notes:detail",
    "notes:edit",
    "meetings:overview",  # the meeting, then its panel's perpetrators listed
    "victims:details",
    "victims:child_details",
    "visits:new",  # the visit forms reach their case through case_for
    "visits:plan",
    "visits:detail",
    "risk:new",
    "risk:compare",
    "risk:detail",
    "risk:stalking_new",
    "risk:stalking_detail",
    "safety_plans:children",
    "safety_plans:plan",
    "safety_plans:versions",
    "safety_plans:version",
    "orders:new",
    "experience:survey",  # the survey form reaches its case through case_for
    "orders:detail",
    "orders:edit",
    "disclosures:new",
    "disclosures:detail",
    "case_referrals:new",
    "referrals:detail",
    "referrals:summary",
    "meetings:detail",
    "meetings:conclude",
    "incidents:import_detail",
    "scoring:tasking_detail",
    "scoring:tasking_entry",  # the list, then the entry's perpetrator listed
    "scoring:tasking_result",
    "people:duplicate_detail",
    "oversight:closure_request",
    "perpetrators:detail",
    "offender_management:allocate",
    "offender_management:end_allocation",
    "offender_management:programme",  # logged as its perpetrator's page
    "offender_management:record_intervention",
    "victims:detail",
    "equipment:issue_new",
    "equipment:issue",
    "equipment:return",
    "justice:case",  # logged as the case (the crimes are the perpetrator's; victims shown to victim-side users)
    "justice:record",  # a crime's form: logged as the case
    "justice:nfa_review",
    "justice:victim_update",
    "documents:new",
    "documents:detail",
    "records:review",
    "records:dispose",
    "records:subject_access_person",
    "records:subject_access_request",
    "api:case-detail",
    "api:person-detail",
    "api:visit-detail",
    "api:riskassessment-detail",
    "api:safetyplan-detail",
    "api:task-detail",
    "api:referral-detail",
}
# A file of a record: logged as an export (or a view, for a preview) naming it.
DOWNLOADS = {
    "documents:preview",
    "documents:download",
    "records:subject_access_download",
}
# Rows of many records: rows_listed writes what was listed and one row per person the rows name.
LISTS = {
    "oversight:transfers",
    "reports:pack",  # the accountability pack: figures only, listed (and exported as a workbook)
    "cases:operation_detail",  # an operation and its cases
    "search:results",
    "cases:home",  # officers' and IDVAs' caseload; every other role is sent to its own work
    "cases:caseload",
    "cases:list",
    "referrals:inbox",
    "meetings:actions",
    "scoring:ranking",
    "scoring:my_tasking",
    "people:duplicates",
    "oversight:team",
    "oversight:holder",
    "oversight:closures",
    "reports:performance",
    "equipment:register",
    "justice:nfa_queue",
    "records:reviews",
    "records:subject_access",
    "audit:access_log",
    "audit:break_glass_reviews",
    "api:case-list",
    "api:person-list",
    "api:visit-list",
    "api:riskassessment-list",
    "api:safetyplan-list",
    "api:task-list",
    "api:referral-list",
}
# A POST that changes a record, through the same fetchers as its page (the permission matrix posts
# to each as every actor; the forms' own tests post valid data).
ACTIONS = {
    "visits:cancel",
    "risk:marac_referral",
    "risk:stalking_referral",
    "referrals:action",
    "meetings:action_complete",
    "meetings:item_change",
    "meetings:change",
    "incidents:import_confirm",
    "incidents:import_run_again",
    "scoring:open_cases",
    "scoring:tasking_inspectors",
    "scoring:refresh",
    "audit:break_glass_review",
    "api:referral-accept",
    "api:referral-complete",
    "api:referral-decline",
    "api:referral-updates",
}
# Not a record page, and why.
NOT_RECORD_PAGES = {
    "accounts:": "signing in and out, the second factor, recovery codes (tests/accounts)",
    "healthz": "liveness for the load balancer: no data",
    "readyz": "readiness for the load balancer: no data",
    "api-schema": "the API's schema: no data",
    "api-docs": "the API's documentation: no data",
    "api:api-root": "the API's index of routes: no data",
    "glossary": "the glossary of terms: no data",
    "cases:break_glass": "a form asking for a case reference and a reason; the case page it opens is logged",
    "cases:operation_cadences": "an operation's visit and review cadences: settings, no person",
    "cases:operations": "operations by name, area and counts: no person named",
    "intake:open": "the form to open a case; its person search is logged by rows_listed when one is made",
    "cases:operation_new": "the form to open an operation: no person",
    "cases:operation_edit": "an operation's name, area and dates: no person",
    "cases:operation_add_case": "a form asking for a case reference; the case's page is logged when opened",
    "meetings:list": "meetings by kind, date and chair agency: no person named (its download is logged)",
    "incidents:import": "the upload form and the force's recent files by name: no person named",
    "incidents:import_guide": "what an import file must hold: no data",
    "incidents:import_sample": "a sample file of fictional incidents: no data",
    "incidents:import_progress": "the progress bar the import page polls; the page is logged",
    "scoring:tasking": "the form to take a tasking list and the lists by area and month: no person named",
    "reminders:my_tasks": "tasks name their case by reference and kind only: no personal details",
    "reminders:dismiss": "a task, by case reference and kind only: no personal details",
    "equipment:item_new": "the equipment stock form: no person",
    "equipment:fund_new": "the equipment fund form: no person",
    "experience:thresholds": "the force's satisfaction thresholds: settings, no person",
    "records:disposals": "disposal records hold no personal data (case reference and counts)",
    "records:disposal": "a disposal record holds no personal data (case reference and counts)",
}
WHERE = "tests/guards/test_access_log_every_page.py"
# What a list is asked, where it lists nothing (and so logs nothing) until asked something.
QUERIES = {"search:results": lambda built: f"?q={built.case.reference}"}
# Pages only a closed case has, asked (by this actor) with the world's case closed for the test.
ON_A_CLOSED_CASE = {"cases:reopen": "area_supervisor"}
# Who asks, in this order: the first the permission matrix lets in (200).
ASKERS = [
    "assigned_officer",
    "area_supervisor",
    "granted_idva",
    "ungranted_housing",
    "analyst",
    "dpo",
    "auditor",
    "granted_probation",
    "superuser_admin",
]


def _not_record(name: str) -> bool:
    return any(name == skip or (skip.endswith(":") and name.startswith(skip)) for skip in NOT_RECORD_PAGES)


def _project_routes() -> list[str]:
    return [name for name, _ in _all_named_patterns() if not name.startswith(ADMIN_NAMESPACE)]


def test_every_url_is_classified() -> None:
    lists = {"RECORD_PAGES": RECORD_PAGES, "DOWNLOADS": DOWNLOADS, "LISTS": LISTS, "ACTIONS": ACTIONS}
    for name in _project_routes():
        found = [label for label, names in lists.items() if name in names]
        if _not_record(name):
            found.append("NOT_RECORD_PAGES")
        assert found, (
            f"URL {name!r} is in none of the access-log lists: add it to RECORD_PAGES, DOWNLOADS, LISTS or "
            f"ACTIONS in {WHERE} (its view reaching the record through its kind's fetcher, or listing "
            f"through rows_listed), or to NOT_RECORD_PAGES with the reason"
        )
        assert len(found) == 1, f"URL {name!r} is in more than one list of {WHERE}: {found}"
    known = set(_project_routes())
    for label, names in lists.items():
        assert names <= known, f"{label} in {WHERE} names routes that no longer exist: {names - known}"


def _checked() -> list[str]:
    return sorted(RECORD_PAGES | DOWNLOADS | LISTS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _checked())
def test_the_page_writes_its_access_log_row(world, login, client, name) -> None:  # noqa: F811
    matrix = _matrix(world)
    assert name in matrix, f"{name} is not in the permission matrix (tests/permissions/matrix_<app>.py)"
    method, args, expected, *_ = matrix[name]
    asker = next((actor for actor in ASKERS if expected.get(actor) == 200), None)
    if name in ON_A_CLOSED_CASE:
        Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
        asker = ON_A_CLOSED_CASE[name]
    assert asker is not None, f"no actor of {ASKERS} may open {name}: add one to ASKERS"
    url = reverse(name, args=args) + (QUERIES[name](world) if name in QUERIES else "")
    client = _client_for(world, asker, login, client)
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code == 200, f"{asker} GET {name} {url}: {response.status_code}"
    written = list(AccessLog.objects.filter(pk__gt=before, user=world.users[asker]))
    assert written, f"{asker} GET {name} {url} wrote no access-log row"
    if name in LISTS:
        return
    named = {str(arg) for arg in args}
    assert any(
        row.object_id in named
        or row.person_id in named
        or (row.object_type != "person shown" and row.case_reference == world.case.reference)
        for row in written
    ), f"{asker} GET {name} {url}: no access-log row names the record: {[str(row) for row in written]}"

"""The load and scale benchmark: its dataset keeps the services' rules, its virtual users may open what
they are given, its run reports real figures, and the query-count header counts every query."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.access.models import CaseAccessGrant, CaseGroupObjectPermission
from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.benchmarks import signed_in_session
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Role, User
from loadtest.generate import Scale, dataset_generate
from loadtest.plan import MIX, mix_for, plan_build
from loadtest.report import results_read, verdicts
from referrals.models import Referral
from tests.factories import CaseFactory, UserFactory
from tests.xdist_groups import real_processes
from visits.models import Visit

TINY = Scale(agencies=10, users=60, people=300, incidents=1_000, cases=200, visits=600, referrals=300)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_dataset_has_the_asked_for_size_and_keeps_the_services_rules() -> None:
    counts = dataset_generate(TINY)

    assert counts["agencies"] == 10 and counts["users"] == 60 and counts["people"] == 300
    assert (counts["incidents"], counts["cases"], counts["visits"], counts["referrals"]) == (1_000, 200, 600, 300)
    # Perpetrator-side agencies never hold the victim-contact permission, whatever was ticked.
    perpetrator_side_groups = Agency.objects.filter(side=AgencySide.PERPETRATOR).values("group_id")
    assert not CaseGroupObjectPermission.objects.filter(
        group_id__in=perpetrator_side_groups, permission__codename="view_victim_contact"
    ).exists()
    assert CaseGroupObjectPermission.objects.filter(permission__codename="view_victim_contact").exists()
    # Access comes only from accepted referrals, or completed ones inside the retention period.
    for grant in CaseAccessGrant.objects.all():
        referral = Referral.objects.get(public_id=grant.source_id)
        assert referral.to_agency_id == grant.agency_id and referral.case_id == grant.case_id
        assert referral.status == "accepted" or (
            referral.status == "completed"
            and referral.access_ends_at is not None
            and referral.access_ends_at > timezone.now()
        )
    # An officer's cases lie in the officer's area; a closed case is the only one with closed_at.
    for case in Case.objects.select_related("spoc"):
        assert case.area_id == case.spoc.area_id
        assert (case.status == "closed") == (case.closed_at is not None)
    assert Visit.objects.filter(status="planned", case__status="closed").count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_partner_caseworker_sees_exactly_the_cases_their_agency_was_granted() -> None:
    dataset_generate(TINY)
    # A drug and alcohol service: perpetrator-side, and never assigned to a case as its offender manager.
    caseworker = User.objects.filter(role=Role.PARTNER_CASEWORKER, agency__kind=AgencyKind.DRUG_AND_ALCOHOL).first()
    assert caseworker is not None
    granted = set(
        CaseAccessGrant.objects.filter(agency=caseworker.agency, revoked_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    assert granted
    assert set(cases_visible_to(caseworker).values_list("pk", flat=True)) == granted


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_virtual_user_may_open_the_cases_it_is_given() -> None:
    dataset_generate(TINY)
    plan = plan_build(mix_for(10))

    assert {part: len(identities) for part, identities in plan["parts"].items()} == mix_for(10)
    officer_session = plan["parts"]["officer"][0]
    client = Client(HTTP_HOST="localhost")
    client.cookies[settings.SESSION_COOKIE_NAME] = officer_session["session"]
    for case in officer_session["cases"][:3]:
        assert client.get(f"/cases/{case}/", secure=True).status_code == 200
    api = plan["parts"]["api"][0]
    response = Client(HTTP_HOST="localhost").get(
        f"/api/v1/cases/{api['cases'][0]}/", HTTP_AUTHORIZATION=f"Token {api['token']}", secure=True
    )
    assert response.status_code == 200
    # The same API account is refused a case its agency was not given.
    others = Case.objects.exclude(pk__in=cases_visible_to(User.objects.get(auth_token__key=api["token"])))
    response = Client(HTTP_HOST="localhost").get(
        f"/api/v1/cases/{others.first().public_id}/", HTTP_AUTHORIZATION=f"Token {api['token']}", secure=True
    )
    assert response.status_code == 404


def test_the_mix_keeps_every_part_and_adds_up() -> None:
    assert mix_for(50) == MIX
    assert sum(mix_for(7).values()) == 7 and min(mix_for(7).values()) == 1


@real_processes
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_load_run_against_gunicorn_reports_latency_errors_and_queries(tmp_path: Path) -> None:
    dataset_generate(TINY)
    report = tmp_path / "load-report.md"

    call_command(
        "loadtest_run",
        *("--users", "6", "--duration", "6", "--warmup", "2", "--ramp", "1"),
        *("--think", "0.2-1", "--stress-think", "0-0.2"),
        *("--report", str(report)),
    )

    measured = json.loads(report.with_suffix(".json").read_text())
    assert [phase["title"] for phase in measured["phases"]] == ["Realistic pace", "Stress"]
    results = measured["results"]
    total = results[-1]
    assert total["name"] == "Aggregated" and total["requests"] >= 6
    assert total["errors"] == 0, report.read_text()
    for result in results[:-1]:
        assert result["p50_ms"] > 0 and result["p95_ms"] >= result["p50_ms"]
        assert result["queries_min"] is not None and result["queries_min"] > 0
    text = report.read_text()
    assert "## Targets (realistic pace)" in text and "| No errors | 0 of" in text
    assert "## Stress: each user waits 0-0.2 s between requests" in text


def test_the_report_marks_targets_missed_and_errors(tmp_path: Path) -> None:
    stats = tmp_path / "run_stats.csv"
    header = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%"
    stats.write_text(
        f"{header}\nGET,My caseload,10,0,1.0,90,120,130\nGET,Case page,10,2,1.0,200,300,400\n"
        "GET,API: tasks,0,0,0.0,N/A,N/A,N/A\n"  # only requested before the statistics were reset
        ",Aggregated,20,2,2.0,100,290,400\n"
    )
    results, total = results_read(stats, {"My caseload": [9, 9], "Case page": [18, 23]})

    met = {v.target.split(":")[0]: v.met for v in verdicts(results, total)}
    assert met["My caseload"] is True
    assert met["Case page"] is False  # p95 300 ms
    assert met["No errors"] is False
    assert met["My tasks"] is False  # never requested: not met
    assert [r.queries for r in results] == ["18-23", "9"]
    # Against a baseline run on a smaller dataset: the case page's highest count grew, so it is missed.
    size = verdicts(results, total, {"My caseload": 9, "Case page": 22})[-1]
    assert size.target == "Queries per request independent of data size" and size.met is False
    assert size.measured == "no more than on the baseline dataset for 1 of 2 requests"
    # A lower lowest count (other cases opened) is not growth.
    assert verdicts(results, total, {"My caseload": 9, "Case page": 23})[-1].met is True


@pytest.mark.django_db
def test_the_load_commands_refuse_without_postgresql_or_a_dataset() -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="No load-test dataset"):
            call_command("loadtest_run")
        with pytest.raises(CommandError, match="--yes-write-to-this-database"):
            call_command("loadtest_generate")
    else:
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("loadtest_generate", "--yes-write-to-this-database")


@pytest.mark.django_db
def test_the_query_count_header_counts_every_query_of_the_request() -> None:
    user = UserFactory(role=Role.OFFICER)
    CaseFactory(spoc=user)
    session = signed_in_session(user)
    client = Client(HTTP_HOST="localhost")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    assert "X-Query-Count" not in client.get("/", secure=True)  # off unless the benchmark asks

    with override_settings(MIDDLEWARE=["dacrre.core.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]):
        client = Client(HTTP_HOST="localhost")  # a new client loads the middleware again
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/", secure=True)
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(queries) > 3

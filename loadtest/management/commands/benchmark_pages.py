# ruff: noqa: S608  # the floor's SQL is assembled from fixed fragments; every value is a parameter
"""Benchmark: what the key pages cost against the cost of their data (issue 21, docs/page-cost.md).

On the load benchmark's dataset (`loadtest_generate`), in-process with the test client and production
settings (DEBUG off; with DEBUG on it runs itself again in a process that has them), for a typical
user of each page: the median of `--runs` warm requests, its queries (and how many of them are not
the page's data, and how many write), their SQL time, and the page's data floor: hand-written SQL
returning the same rows under the same visibility rule, timed the same way. Then EXPLAIN's planning
time for the page's queries and for the floor's. Prints figures; asserts nothing. Targets: each page
within 3x its floor and under 15 ms. It signs its users in with sessions of their own and its pages
write access-log rows, as in service."""

import datetime
import json
import re
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.models import Case
from cases.selectors import caseload_for
from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed, signed_in_session
from dacrre.accounts.models import CASEWORK_ROLES, Agency, AgencyKind, Role, Scope, User, scope_allowed
from incidents.models import Incident
from loadtest.plan import API_USERNAME_PREFIX, _api_account
from loadtest.production import collect_static, production_env
from referrals.models import Referral, ReferralStatus

TARGET_RATIO = 3.0
TARGET_MS = 15.0
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_SELECT = re.compile(r"^\s*\(?\s*(SELECT|WITH)\b", re.IGNORECASE)
# Code that only ever runs beside the page (it wraps no view): anything it queries is overhead.
_CALLED_FROM = [("dacrre/shell/context_processors.py", "navigation"), ("dacrre/audit/services.py", "access log")]
# Where a query that is not the page's data comes from: the first frame of ours or of these packages.
_OVERHEAD_FRAMES = [
    ("django/contrib/sessions/", "session"),
    ("django/contrib/auth/", "user"),
    ("dacrre/accounts/session_user.py", "user, agency, second factor"),
    ("dacrre/accounts/sessions.py", "session"),
    ("django_otp/", "second factor"),
    ("rest_framework/authtoken", "API token"),
    ("dacrre/accounts/auth.py", "account check"),
    ("dacrre/accounts/middleware.py", "sign-in state"),
    ("dacrre/accounts/session_expiry.py", "sign-in state"),
    ("dacrre/accounts/context_processors.py", "sign-in state"),
    ("dacrre/core/api_settings.py", "API throttle"),
]


@dataclass
class Query:
    sql: str
    params: Any
    ms: float
    source: str = ""


@dataclass
class Result:
    page: str
    who: str
    path: str
    rows: int
    page_ms: float
    page_max_ms: float
    queries: int
    overhead: list[str]
    writes: int
    sql_ms: float
    floor_ms: float
    floor_statements: int
    floor_rows: int
    planning_ms: float
    floor_planning_ms: float
    hottest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.page_ms / self.floor_ms if self.floor_ms else float("inf")


class _Recorder:
    """Counts and times every statement the connection runs (an execute wrapper: no debug cursor)."""

    def __init__(self, *, sources: bool = False) -> None:
        self.queries: list[Query] = []
        self.sources = sources

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.queries.append(Query(sql, params, elapsed, _source(sql) if self.sources else ""))


def _source(sql: str) -> str:
    """Why a query ran: one of the fixed costs of every request, or the page's data. Decided by the
    innermost frame that is ours or one of the packages behind the fixed costs."""
    ours = str(settings.BASE_DIR).replace("\\", "/") + "/"
    files = [frame.filename.replace("\\", "/") for frame in traceback.extract_stack()[:-3]]
    for marker, label in _CALLED_FROM:
        if any(marker in filename for filename in files):
            return label
    for filename in reversed(files):
        found = next((label for marker, label in _OVERHEAD_FRAMES if marker in filename), None)
        if found is not None:
            return found
        if filename.startswith(ours) and "/.venv/" not in filename and not filename.endswith("benchmark_pages.py"):
            break
    if re.search(r'FROM "accounts_agency" WHERE "accounts_agency"."id" = %s LIMIT 21', sql):
        return "user's agency"
    return ""


@contextmanager
def _recording(*, sources: bool = False) -> Iterator[_Recorder]:
    recorder = _Recorder(sources=sources)
    with connection.execute_wrapper(recorder):
        yield recorder


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


# The data floor: hand-written SQL for what each page shows, under the same visibility rule as the
# selectors (cases/selectors.py), with the agency's group and the permissions looked up once.
Statement = tuple[str, list[Any]]

_PERSON_NAME = "p.given_name, p.family_name"


def _visible_ids_sql(user: User) -> Statement:
    """The ids of the cases the user sees: assigned, scope, the agency's current grants (no break glass:
    the users measured are not supervisors)."""
    parts: list[str] = []
    params: list[Any] = []
    casework = user.role in CASEWORK_ROLES
    if casework:
        parts.append("SELECT id FROM cases_case WHERE spoc_id = %s OR offender_manager_id = %s OR idva_id = %s")
        params += [user.pk] * 3
    if user.agency_id and scope_allowed(user.role, user.scope):
        if user.scope == Scope.AGENCY:
            parts.append("SELECT id FROM cases_case WHERE owning_agency_id = %s")
            params.append(user.agency_id)
        elif user.scope == Scope.AREA and user.area_id:
            parts.append("SELECT id FROM cases_case WHERE owning_agency_id = %s AND area_id = %s")
            params += [user.agency_id, user.area_id]
    if casework and user.agency_id:
        group_id = Agency.objects.filter(pk=user.agency_id).values_list("group_id", flat=True).get()
        permission_id = Permission.objects.get(codename="view_case", content_type__app_label="cases").pk
        parts.append(
            "SELECT content_object_id FROM permissions_casegroupobjectpermission WHERE group_id = %s"
            " AND permission_id = %s AND (expires_at IS NULL OR expires_at > %s)"
        )
        params += [group_id, permission_id, timezone.now()]
    return " UNION ALL ".join(parts) or "SELECT NULL::bigint WHERE false", params


def _caseload_floor(user: User) -> list[Statement]:
    today = timezone.localdate()
    return [
        (
            f"""SELECT c.id, c.public_id, c.reference, {_PERSON_NAME}, ar.name, c.status, c.risk_level,
                   c.next_perpetrator_visit_due,
                   (SELECT min(v.next_visit_due) FROM cases_casevictim v WHERE v.case_id = c.id),
                   c.risk_review_due, t.open, t.overdue
            FROM cases_case c
            JOIN perpetrators_perpetrator pe ON pe.id = c.perpetrator_id
            JOIN people_person p ON p.id = pe.person_id
            JOIN accounts_area ar ON ar.id = c.area_id
            LEFT JOIN LATERAL (
                SELECT count(*) AS open, count(*) FILTER (WHERE r.due_on < %s) AS overdue
                FROM reminders_reminder r WHERE r.assignee_id = %s AND r.status = 'open' AND r.case_id = c.id
            ) t ON true
            WHERE (c.spoc_id = %s OR c.offender_manager_id = %s OR c.idva_id = %s) AND c.status <> 'closed'
            ORDER BY c.next_perpetrator_visit_due, c.reference""",
            [today, user.pk, user.pk, user.pk, user.pk],
        )
    ]


def _tasks_floor(user: User) -> list[Statement]:
    today = timezone.localdate()
    mine = "r.assignee_id = %s"
    params: list[Any] = [user.pk]
    if user.agency_id and user.role in CASEWORK_ROLES:
        mine = "(r.assignee_id = %s OR r.agency_id = %s)"
        params.append(user.agency_id)
    select = f"""SELECT r.public_id, r.due_on, r.kind, r.high_risk, c.reference, c.public_id
        FROM reminders_reminder r JOIN cases_case c ON c.id = r.case_id
        WHERE {mine} AND r.status = 'open' AND r.due_on {{}} %s ORDER BY r.due_on, r.id LIMIT 500"""
    return [(f"({select.format('<=')}) UNION ALL ({select.format('>')})", [*params, today, *params, today])]


def _inbox_floor(user: User) -> list[Statement]:
    received = f"""SELECT r.public_id, r.reference, r.first_opened_at, r.subject_role, r.urgency, r.status,
            r.response_due_on, c.reference, {_PERSON_NAME}, fa.name{{}}
        FROM referrals_referral r
        JOIN cases_case c ON c.id = r.case_id
        JOIN people_person p ON p.id = r.subject_person_id
        JOIN accounts_agency fa ON fa.id = r.from_agency_id
        WHERE r.to_agency_id = %s AND r.status = %s ORDER BY r.response_due_on, r.sent_at"""
    visible, visible_params = _visible_ids_sql(user)
    return [
        (received.format(""), [user.agency_id, ReferralStatus.SENT]),
        (received.format(", count(*) OVER ()") + " LIMIT 50", [user.agency_id, ReferralStatus.ACCEPTED]),
        (
            f"""SELECT r.public_id, r.reference, r.subject_role, r.urgency, r.status, r.response_due_on,
                   c.reference, {_PERSON_NAME}, coalesce(ta.name, r.external_agency_name)
            FROM referrals_referral r
            JOIN cases_case c ON c.id = r.case_id
            JOIN people_person p ON p.id = r.subject_person_id
            LEFT JOIN accounts_agency ta ON ta.id = r.to_agency_id
            WHERE r.from_agency_id = %s AND r.case_id IN ({visible})
            ORDER BY r.created_at DESC LIMIT 100""",
            [user.agency_id, *visible_params],
        ),
    ]


def _api_cases_floor(user: User) -> list[Statement]:
    visible, params = _visible_ids_sql(user)
    return [
        (
            f"""WITH visible AS ({visible}),
                shown AS (SELECT id, reference FROM cases_case WHERE id IN (SELECT * FROM visible)
                          ORDER BY reference LIMIT 50)
            SELECT c.public_id, c.reference, o.name, ag.name, ar.name, c.status, c.risk_level, p.public_id,
                   {_PERSON_NAME}, s.first_name, s.last_name, om.first_name, om.last_name, i.first_name,
                   i.last_name, c.next_perpetrator_visit_due, c.risk_review_due, c.opened_at, c.closed_at,
                   (SELECT count(*) FROM cases_case WHERE id IN (SELECT * FROM visible))
            FROM shown JOIN cases_case c ON c.id = shown.id
            JOIN cases_operation o ON o.id = c.operation_id
            JOIN accounts_agency ag ON ag.id = c.owning_agency_id
            JOIN accounts_area ar ON ar.id = c.area_id
            JOIN perpetrators_perpetrator pe ON pe.id = c.perpetrator_id
            JOIN people_person p ON p.id = pe.person_id
            LEFT JOIN accounts_user s ON s.id = c.spoc_id
            LEFT JOIN accounts_user om ON om.id = c.offender_manager_id
            LEFT JOIN accounts_user i ON i.id = c.idva_id
            ORDER BY shown.reference""",
            params,
        )
    ]


def _case_page_floor(user: User, case: Case) -> list[Statement]:
    """What the case page shows an officer of the owning force, one statement per kind of row: the
    case and its people, the chronology, and each panel's rows (closure and transfer requests, notes,
    visits planned and recent, assessments, safety plans, stalking screenings, orders, disclosures and
    the victims of the perpetrator's recent incidents not on the case, equipment, referrals,
    documents). Victims once; the user's names with the rows that show them."""
    visible, visible_params = _visible_ids_sql(user)
    c = case.pk
    on_case: list[tuple[str, list[Any]]] = [
        (
            """SELECT cv.*, v.public_id, p.public_id, p.given_name, p.family_name, p.date_of_birth
            FROM cases_casevictim cv JOIN victims_victim v ON v.id = cv.victim_id
            JOIN people_person p ON p.id = v.person_id
            WHERE cv.case_id = %s ORDER BY p.family_name""",
            [c],
        ),
        (
            """SELECT cc.*, ch.public_id, p.public_id, p.given_name, p.family_name, p.date_of_birth, cf.school
            FROM cases_casechild cc JOIN victims_child ch ON ch.id = cc.child_id
            JOIN people_person p ON p.id = ch.person_id
            LEFT JOIN victims_childconfidential cf ON cf.child_id = ch.id
            WHERE cc.case_id = %s ORDER BY p.family_name""",
            [c],
        ),
        (
            """SELECT e.*, u.first_name, u.last_name FROM cases_chronologyentry e
            LEFT JOIN accounts_user u ON u.id = e.actor_id
            WHERE e.case_id = %s ORDER BY e.occurred_at DESC, e.id DESC LIMIT 200""",
            [c],
        ),
        (
            """(SELECT 'transfer', t.public_id, t.requested_at, u.first_name, u.last_name, ar.name, ag.name
              FROM oversight_casetransfer t JOIN accounts_user u ON u.id = t.requested_by_id
              JOIN accounts_area ar ON ar.id = t.to_area_id JOIN accounts_agency ag ON ag.id = ar.agency_id
              WHERE t.case_id = %s AND t.status = 'pending' ORDER BY t.requested_at LIMIT 1)
            UNION ALL
            (SELECT 'closure', r.public_id, r.requested_at, u.first_name, u.last_name, r.reason, ''
              FROM oversight_caseclosurerequest r JOIN accounts_user u ON u.id = r.requested_by_id
              WHERE r.case_id = %s AND r.status = 'pending' ORDER BY r.requested_at LIMIT 1)""",
            [c, c],
        ),
        (
            """SELECT n.*, u.first_name, u.last_name FROM notes_note n JOIN accounts_user u ON u.id = n.author_id
            WHERE n.case_id = %s AND n.side IN ('victim', 'perpetrator')
            ORDER BY n.occurred_on DESC, n.created_at DESC LIMIT 5""",
            [c],
        ),
        (
            """(SELECT v.*, u.first_name, u.last_name FROM visits_visit v
              JOIN accounts_user u ON u.id = v.recorded_by_id
              WHERE v.case_id = %s AND v.status = 'planned' ORDER BY v.planned_for)
            UNION ALL
            (SELECT v.*, u.first_name, u.last_name FROM visits_visit v JOIN accounts_user u ON u.id = v.recorded_by_id
              WHERE v.case_id = %s AND v.status = 'completed' ORDER BY v.occurred_at DESC LIMIT 10)""",
            [c, c],
        ),
        (
            """SELECT * FROM risk_riskassessment WHERE case_id = %s ORDER BY assessed_at DESC, id DESC LIMIT 10""",
            [c],
        ),
        (
            """SELECT sp.*, count(m.id) FILTER (WHERE m.status = 'in_place'),
                   count(m.id) FILTER (WHERE m.status = 'proposed')
            FROM safety_plans_safetyplan sp LEFT JOIN safety_plans_safetymeasure m ON m.plan_id = sp.id
            WHERE sp.case_id = %s GROUP BY sp.id""",
            [c],
        ),
        ("SELECT * FROM risk_stalkingscreening WHERE case_id = %s ORDER BY screened_at DESC, id DESC LIMIT 10", [c]),
        ("SELECT * FROM orders_protectiveorder WHERE case_id = %s ORDER BY ends_on NULLS LAST", [c]),
        ("SELECT * FROM disclosures_disclosureapplication WHERE case_id = %s ORDER BY received_on DESC", [c]),
        (
            """SELECT v.id, v.public_id, p.given_name, p.family_name, min(i.occurred_at) AS first_seen
            FROM incidents_incident i JOIN incidents_incident_victims iv ON iv.incident_id = i.id
            JOIN victims_victim v ON v.id = iv.victim_id JOIN people_person p ON p.id = v.person_id
            WHERE i.perpetrator_id = %s AND i.occurred_at >= %s
              AND NOT EXISTS (SELECT 1 FROM cases_casevictim cv WHERE cv.case_id = %s AND cv.victim_id = v.id)
              AND NOT EXISTS (SELECT 1 FROM disclosures_disclosureapplication d
                              WHERE d.case_id = %s AND d.person_at_risk_id = v.id)
            GROUP BY v.id, p.id ORDER BY first_seen""",
            [case.perpetrator_id, timezone.now() - datetime.timedelta(days=365), c, c],
        ),
        (
            """SELECT e.*, it.* FROM equipment_equipmentissue e JOIN equipment_equipmentitem it ON it.id = e.item_id
            WHERE e.case_id = %s ORDER BY e.returned_on DESC NULLS FIRST, e.issued_on DESC""",
            [c],
        ),
        (
            """SELECT r.public_id, r.reference, r.subject_role, r.urgency, r.status, r.response_due_on, r.created_at,
                   p.given_name, p.family_name, coalesce(ta.name, r.external_agency_name)
            FROM referrals_referral r JOIN people_person p ON p.id = r.subject_person_id
            LEFT JOIN accounts_agency ta ON ta.id = r.to_agency_id
            WHERE r.case_id = %s AND ((r.to_agency_id = %s AND r.status <> 'draft') OR r.from_agency_id = %s)
            ORDER BY r.created_at DESC""",
            [c, user.agency_id, user.agency_id],
        ),
        (
            """SELECT d.* FROM documents_document d WHERE d.case_id = %s
              AND (d.referral_id IS NULL OR d.referral_id IN (
                   SELECT id FROM referrals_referral r WHERE r.case_id = d.case_id
                   AND ((r.to_agency_id = %s AND r.status <> 'draft') OR r.from_agency_id = %s)))
              AND d.visibility IN ('all', 'victim_side', 'victim_contact')
            ORDER BY d.uploaded_at DESC, d.id DESC""",
            [c, user.agency_id, user.agency_id],
        ),
    ]
    statements: list[Statement] = [
        (
            f"""SELECT c.*, {_PERSON_NAME}, p.public_id, ar.name, ag.name, o.name, s.first_name, s.last_name,
                   om.first_name, om.last_name, i.first_name, i.last_name
            FROM cases_case c
            JOIN perpetrators_perpetrator pe ON pe.id = c.perpetrator_id
            JOIN people_person p ON p.id = pe.person_id
            JOIN accounts_area ar ON ar.id = c.area_id
            JOIN accounts_agency ag ON ag.id = c.owning_agency_id
            JOIN cases_operation o ON o.id = c.operation_id
            LEFT JOIN accounts_user s ON s.id = c.spoc_id
            LEFT JOIN accounts_user om ON om.id = c.offender_manager_id
            LEFT JOIN accounts_user i ON i.id = c.idva_id
            WHERE c.public_id = %s AND c.id IN ({visible})""",
            [case.public_id, *visible_params],
        )
    ]
    return statements + on_case


class Command(BaseCommand):
    help = (
        "Time My caseload, the case page, the partner inbox, My tasks and the API case list against their "
        "data floor (hand-written SQL) on the load benchmark's dataset, with production settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="Timed requests of each page (after warm-ups).")
        parser.add_argument("--warmup", type=int, default=3, help="Requests of each page before timing.")
        parser.add_argument("--json", default="", help="Also write the figures to this JSON file.")
        parser.add_argument(
            "--as-configured",
            action="store_true",
            help="Measure with this process's settings even with DEBUG on (by default it runs itself again "
            "with production settings).",
        )
        add_write_confirmation(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_unless_confirmed(options)
        if settings.DEBUG and not options["as_configured"]:
            self._again_with_production_settings(options)
            return
        if not Case.objects.exists():
            raise CommandError("No cases: build the load benchmark's dataset first (manage.py loadtest_generate).")
        runs, warmup = int(options["runs"]), int(options["warmup"])
        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"dataset: {Case.objects.count():,} cases; DEBUG {settings.DEBUG}; sessions {settings.SESSION_ENGINE};"
            f" cache {cache}; {runs} timed requests per page after {warmup} warm-ups"
        )
        results = [self._measure(*page, runs=runs, warmup=warmup) for page in self._pages()]
        for result in results:
            self._print(result)
        self._print_summary(results)
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {
                        "date": datetime.date.today().isoformat(),
                        "runs": runs,
                        "results": [{**asdict(r), "ratio": round(r.ratio, 2)} for r in results],
                    },
                    indent=2,
                )
            )

    def _again_with_production_settings(self, options: dict[str, Any]) -> None:
        env = production_env(
            DACRRE_LOADTEST="1", ALLOWED_HOSTS="localhost", SECURE_SSL_REDIRECT="0", DACRRE_QUERY_COUNT_HEADER="0"
        )
        collect_static(env, self.stdout)
        self.stdout.write("running again with production settings (DEBUG off) ...")
        self.stdout.flush()
        finished = subprocess.run(  # noqa: S603 - this command, again
            [sys.executable, "manage.py", "benchmark_pages", "--runs", str(options["runs"])]
            + ["--warmup", str(options["warmup"]), "--yes-write-to-this-database", "--as-configured"]
            + (["--json", str(Path(options["json"]).resolve())] if options["json"] else []),
            cwd=settings.BASE_DIR,
            env=env,
            check=False,
        )
        if finished.returncode:
            raise CommandError(f"The benchmark failed (exit code {finished.returncode}).")

    def _pages(self) -> list[tuple[str, str, str, dict[str, str], Callable[[], list[Statement]], int]]:
        officer = self._officer()
        # The middle case of the caseload: the first ones are the dataset's most prolific perpetrators
        # (hundreds of incidents, and hundreds of people on the Clare's Law panel).
        caseload = list(caseload_for(officer).order_by("reference"))
        case = caseload[len(caseload) // 2]
        incidents = Incident.objects.filter(perpetrator_id=case.perpetrator_id).count()
        caseworker, inbox_rows = self._caseworker()
        account = _api_account(caseworker.agency)  # type: ignore[arg-type]
        token, _ = Token.objects.get_or_create(user=account)
        officer_session, caseworker_session = signed_in_session(officer), signed_in_session(caseworker)
        cases = caseload_for(officer).count()
        officer_label = f"officer {officer.username}, {cases} open cases"
        return [
            (
                "My caseload",
                officer_label,
                "/caseload/",
                {"session": officer_session},
                lambda: _caseload_floor(officer),
                cases,
            ),
            (
                "Case page",
                f"{officer_label}; case {case.reference}, its perpetrator in {incidents} incidents",
                f"/cases/{case.public_id}/",
                {"session": officer_session},
                lambda: _case_page_floor(officer, case),
                1,
            ),
            (
                "Partner inbox",
                f"partner caseworker {caseworker.username} ({caseworker.agency.name}),"  # type: ignore[union-attr]
                f" {inbox_rows} referrals in the inbox",
                "/referrals/",
                {"session": caseworker_session},
                lambda: _inbox_floor(caseworker),
                inbox_rows,
            ),
            ("My tasks", officer_label, "/tasks/", {"session": officer_session}, lambda: _tasks_floor(officer), 0),
            (
                "API case list",
                f"API account of {caseworker.agency.name}",  # type: ignore[union-attr]
                "/api/v1/cases/",
                {"token": token.key},
                lambda: _api_cases_floor(account),
                0,
            ),
        ]

    def _officer(self) -> User:
        """The police officer whose open caseload is nearest 50 cases."""
        open_cases = Count("cases_as_spoc", filter=~Q(cases_as_spoc__status="closed"))
        officers = (
            User.objects.filter(role=Role.OFFICER, agency__kind=AgencyKind.POLICE, is_active=True)
            .annotate(cases=open_cases)
            .filter(cases__gt=0)
            .order_by("pk")
        )
        chosen = min(officers, key=lambda user: (abs(user.cases - 50), user.pk), default=None)
        if chosen is None:
            raise CommandError("No officer with open cases.")
        return chosen

    def _caseworker(self) -> tuple[User, int]:
        """A partner caseworker whose agency's inbox (sent and accepted referrals) is nearest 150."""
        inboxes = dict(
            Referral.objects.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED], to_agency__isnull=False)
            .values_list("to_agency")
            .annotate(n=Count("pk"))
            .values_list("to_agency", "n")
        )
        caseworkers = (
            User.objects.filter(role=Role.PARTNER_CASEWORKER, is_active=True, agency_id__in=list(inboxes))
            .exclude(username__startswith=API_USERNAME_PREFIX)
            .select_related("agency")
            .order_by("pk")
        )
        chosen = min(caseworkers, key=lambda user: (abs(inboxes[user.agency_id or 0] - 150), user.pk), default=None)
        if chosen is None:
            raise CommandError("No partner caseworker with referrals.")
        return chosen, inboxes[chosen.agency_id or 0]

    def _measure(
        self,
        page: str,
        who: str,
        path: str,
        auth: dict[str, str],
        floor: Callable[[], list[Statement]],
        rows: int,
        *,
        runs: int,
        warmup: int,
    ) -> Result:
        if "session" in auth:
            client = Client(SERVER_NAME="localhost")
            client.cookies[settings.SESSION_COOKIE_NAME] = auth["session"]
        else:
            client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {auth['token']}")

        def get() -> Any:
            response = client.get(path, secure=True, HTTP_HOST="localhost")
            if response.status_code != 200:
                raise CommandError(f"{page}: {path} answered {response.status_code}")
            return response

        for _ in range(warmup):
            get()
        page_ms, sql_ms = [], []
        for _ in range(runs):
            with _recording() as recorder:
                started = time.perf_counter()
                get()
                page_ms.append((time.perf_counter() - started) * 1000)
            sql_ms.append(sum(q.ms for q in recorder.queries))
        with _recording(sources=True) as classified:
            get()
        statements = floor()
        floor_ms: list[float] = []
        floor_rows = 0
        with connection.cursor() as cursor:
            for _ in range(warmup + runs):
                started = time.perf_counter()
                floor_rows = 0
                for sql, params in statements:
                    cursor.execute(sql, params)
                    floor_rows += len(cursor.fetchall())
                floor_ms.append((time.perf_counter() - started) * 1000)
        page_plans = _plans([(q.sql, q.params) for q in classified.queries if _SELECT.match(q.sql)])
        floor_plans = _plans(statements)
        return Result(
            page=page,
            who=who,
            path=path,
            rows=rows,
            page_ms=_median(page_ms),
            page_max_ms=max(page_ms),
            queries=len(classified.queries),
            overhead=[q.source + (" (write)" if _WRITE.match(q.sql) else "") for q in classified.queries if q.source],
            writes=sum(1 for q in classified.queries if _WRITE.match(q.sql)),
            sql_ms=_median(sql_ms),
            floor_ms=_median(floor_ms[warmup:]),
            floor_statements=len(statements),
            floor_rows=floor_rows,
            planning_ms=sum(plan["planning_ms"] for plan in page_plans),
            floor_planning_ms=sum(plan["planning_ms"] for plan in floor_plans),
            hottest=sorted(page_plans, key=lambda plan: -plan["planning_ms"] - plan["execution_ms"])[:3],
        )

    def _print(self, r: Result) -> None:
        verdict = "met" if r.ratio <= TARGET_RATIO and r.page_ms < TARGET_MS else "NOT met"
        self.stdout.write(f"{r.page} ({r.who}): {r.path}")
        self.stdout.write(
            f"  page {r.page_ms:.1f} ms median of the runs (max {r.page_max_ms:.1f}); {r.queries} queries, "
            f"SQL {r.sql_ms:.1f} ms; floor {r.floor_ms:.1f} ms ({r.floor_statements} statements, {r.floor_rows} rows);"
            f" ratio {r.ratio:.1f}x; target {TARGET_RATIO:.0f}x and {TARGET_MS:.0f} ms {verdict}"
        )
        self.stdout.write(
            f"  not page data: {len(r.overhead)} queries ({', '.join(r.overhead) or 'none'}); {r.writes} writes"
        )
        self.stdout.write(
            f"  planning (EXPLAIN): page's SELECTs {r.planning_ms:.2f} ms in all, floor's {r.floor_planning_ms:.2f} ms"
        )
        for plan in r.hottest:
            self.stdout.write(
                f"    plan {plan['planning_ms']:.2f} ms, run {plan['execution_ms']:.2f} ms: {plan['sql'][:110]}"
            )

    def _print_summary(self, results: list[Result]) -> None:
        self.stdout.write("")
        self.stdout.write(
            "| page | page (median) | queries | not page data | writes | SQL | floor | ratio | planning |"
        )
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            self.stdout.write(
                f"| {r.page} | {r.page_ms:.1f} ms | {r.queries} | {len(r.overhead)} | {r.writes} | {r.sql_ms:.1f} ms |"
                f" {r.floor_ms:.1f} ms | {r.ratio:.1f}x | {r.planning_ms:.1f} ms |"
            )


def _plans(statements: list[Statement]) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE of each SELECT: planning and execution time as PostgreSQL reports them."""
    plans = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            (report,) = cursor.fetchone()
            plan = (json.loads(report) if isinstance(report, str) else report)[0]
            plans.append(
                {
                    "sql": " ".join(sql.split()),
                    "planning_ms": plan.get("Planning Time", 0.0),
                    "execution_ms": plan.get("Execution Time", 0.0),
                }
            )
    return plans

"""A realistic fictional dataset at a chosen scale, for the load and scale benchmark (PostgreSQL only).

Agencies, areas, users and operations go through the ordinary services; the bulk (people, cases,
victims, visits, chronology, risk assessments, safety plans, incidents, referrals, the partner
agencies' grants) is written by set-based SQL, so the default scale builds in minutes. Every row
keeps the rules the services keep: a closed case has `closed_at`; only accepted referrals and those
completed less than the retention period ago give their agency access; perpetrator-side agencies
never get the victim-contact permission; an officer's cases lie in the officer's area.
"""

import datetime
import json
from dataclasses import dataclass, fields

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Operation
from cases.services import operation_create
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Role, Scope, User
from dacrre.accounts.services import agency_create
from risk.models import Answer
from risk.questions import QUESTION_KEYS

# Every agency the generator makes is named with this prefix, so a dataset is recognised (and the
# generator refuses to write a second one into the same database).
AGENCY_PREFIX = "Load test "
POLICE_AREAS = ("North", "South", "West")
# Partner agencies in turn: (kind, side, the role of their caseworkers).
PARTNER_KINDS = (
    (AgencyKind.IDVA_SERVICE, AgencySide.VICTIM, Role.IDVA),
    (AgencyKind.PROBATION, AgencySide.PERPETRATOR, Role.PARTNER_CASEWORKER),
    (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencySide.BOTH, Role.PARTNER_CASEWORKER),
    (AgencyKind.HOUSING, AgencySide.BOTH, Role.PARTNER_CASEWORKER),
    (AgencyKind.DRUG_AND_ALCOHOL, AgencySide.PERPETRATOR, Role.PARTNER_CASEWORKER),
    (AgencyKind.PERPETRATOR_PROGRAMME, AgencySide.PERPETRATOR, Role.PARTNER_CASEWORKER),
    (AgencyKind.VICTIM_SUPPORT, AgencySide.VICTIM, Role.PARTNER_CASEWORKER),
    (AgencyKind.ADULT_SOCIAL_CARE, AgencySide.BOTH, Role.PARTNER_CASEWORKER),
    (AgencyKind.HEALTH, AgencySide.BOTH, Role.PARTNER_CASEWORKER),
)
GIVEN_NAMES = (  # noqa: SIM905 - a list of words reads best as words
    "Aaron Adam Aisha Alex Amy Ben Callum Chloe Daniel Dean Emma Grace Hannah Jack Jade James Kieran "
    "Laura Leah Liam Lucy Mark Megan Mohammed Nathan Olivia Paul Rachel Ryan Sophie Stacey Tom Wayne "
    "Zoe"
).split()
FAMILY_NAMES = (  # noqa: SIM905 - a list of words reads best as words
    "Ahmed Bailey Barker Brown Clarke Davies Evans Green Hall Hughes Jackson Jones Khan Lewis Morgan "
    "Patel Price Roberts Shaw Smith Taylor Thomas Turner Walker Ward Watson White Williams Wilson "
    "Wood Wright Young"
).split()


@dataclass(frozen=True)
class Scale:
    """How much to build. The defaults are the benchmark's scale."""

    agencies: int = 40
    users: int = 2_000
    people: int = 150_000
    incidents: int = 1_000_000
    cases: int = 200_000
    visits: int = 1_000_000
    referrals: int = 300_000

    def times(self, factor: float) -> "Scale":
        """Every count multiplied by the factor; agencies and users no fewer than every role needs."""
        counts = {f.name: max(1, round(getattr(self, f.name) * factor)) for f in fields(self)}
        counts["agencies"] = max(counts["agencies"], len(PARTNER_KINDS) + 1)
        counts["users"] = max(counts["users"], 5 * counts["agencies"])
        return Scale(**counts)

    def problems(self) -> list[str]:
        minimums = {
            "agencies": len(PARTNER_KINDS) + 1,  # one police force and one of each kind of partner
            "users": 5 * self.agencies,  # enough for every role in every agency
            "people": 10,
            "cases": 1,
        }
        return [
            f"{name} must be at least {minimum:,} (it is {getattr(self, name):,})"
            for name, minimum in minimums.items()
            if getattr(self, name) < minimum
        ]


def dataset_exists() -> bool:
    return Agency.objects.filter(name__startswith=AGENCY_PREFIX).exists()


@transaction.atomic
def dataset_generate(scale: Scale) -> dict[str, int]:
    """Build the dataset in one transaction; returns the number of rows of each kind written."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The load-test dataset is generated with PostgreSQL's SQL: set DATABASE_URL.")
    police, partners = _agencies(scale)
    _users(scale, police, partners)
    operations = {
        agency.pk: operation_create(
            actor=None,
            name=f"{agency.name} repeat perpetrators",
            lead_agency=agency,
            starts_on=timezone.localdate() - datetime.timedelta(days=3 * 365),
        )
        for agency in police
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")  # the same dataset every time
        _people(cursor, scale)
        _cases(cursor, scale, operations)
        _visits(cursor, scale)
        _assessments_and_plans(cursor)
        _incidents(cursor, scale, police)
        _referrals(cursor, scale)
        _grants(cursor)
    return dataset_counts()


def dataset_counts() -> dict[str, int]:
    """Rows of each kind in the database (whatever made them)."""
    counts = {}
    with connection.cursor() as cursor:
        for label, table in _COUNTED.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names are constants
            counts[label] = cursor.fetchone()[0]
    return counts


_COUNTED = {
    "agencies": "accounts_agency",
    "users": "accounts_user",
    "people": "people_person",
    "incidents": "incidents_incident",
    "cases": "cases_case",
    "victims on cases": "cases_casevictim",
    "visits": "visits_visit",
    "chronology entries": "cases_chronologyentry",
    "risk assessments": "risk_riskassessment",
    "safety plans": "safety_plans_safetyplan",
    "referrals": "referrals_referral",
    "case access grants": "permissions_caseaccessgrant",
}


def _agencies(scale: Scale) -> tuple[list[Agency], list[Agency]]:
    police_count = max(1, scale.agencies // 10)
    police = [
        agency_create(
            name=f"{AGENCY_PREFIX}Police {n + 1}", kind=AgencyKind.POLICE, side=AgencySide.BOTH, areas=POLICE_AREAS
        )
        for n in range(police_count)
    ]
    partners = []
    for n in range(scale.agencies - police_count):
        kind, side, _ = PARTNER_KINDS[n % len(PARTNER_KINDS)]
        label = AgencyKind(kind).label
        partners.append(
            agency_create(name=f"{AGENCY_PREFIX}{label} {n // len(PARTNER_KINDS) + 1}", kind=kind, side=side)
        )
    return police, partners


def _users(scale: Scale, police: list[Agency], partners: list[Agency]) -> None:
    """Six in ten users work for the police forces; the rest for the partners. No one can sign in
    with a password (the load run gives its users signed-in sessions)."""
    unusable = make_password(None)
    users: list[User] = []

    def add(agency: Agency, role: Role, scope: Scope, area_id: int | None = None) -> None:
        n = len(users) + 1
        users.append(
            User(
                username=f"lt{n:05d}",
                password=unusable,
                agency=agency,
                area_id=area_id,
                role=role,
                scope=scope,
                first_name=GIVEN_NAMES[n % len(GIVEN_NAMES)],
                last_name=FAMILY_NAMES[(n // len(GIVEN_NAMES)) % len(FAMILY_NAMES)],
                email=f"lt{n:05d}@loadtest.invalid",
            )
        )

    police_share = scale.users * 6 // 10
    for index, agency in enumerate(police):
        count = police_share // len(police) + (1 if index < police_share % len(police) else 0)
        areas = list(agency.areas.values_list("pk", flat=True))
        add(agency, Role.ADMIN, Scope.NONE)
        add(agency, Role.AUDITOR, Scope.NONE)
        add(agency, Role.SUPERVISOR, Scope.AGENCY)
        for n in range(max(1, count // 50)):
            add(agency, Role.ANALYST, Scope.AGENCY, areas[n % len(areas)])
        for n in range(max(len(areas), count // 12)):
            add(agency, Role.SUPERVISOR, Scope.AREA, areas[n % len(areas)])
        for n in range(count - 3 - max(1, count // 50) - max(len(areas), count // 12)):
            add(agency, Role.OFFICER, Scope.ASSIGNED, areas[n % len(areas)])
    partner_share = scale.users - len(users)
    for index, agency in enumerate(partners):
        count = partner_share // len(partners) + (1 if index < partner_share % len(partners) else 0)
        caseworker = PARTNER_KINDS[index % len(PARTNER_KINDS)][2]
        add(agency, Role.SUPERVISOR, Scope.AGENCY)
        for _ in range(count - 1):
            add(agency, caseworker, Scope.ASSIGNED)
    User.objects.bulk_create(users, batch_size=1000)


def _people(cursor, scale: Scale) -> None:
    """Four in ten people are perpetrators, half are victims, the rest children."""
    perpetrators = max(1, scale.people * 4 // 10)
    victims = max(1, scale.people // 2)
    children = max(1, scale.people - perpetrators - victims)
    cursor.execute(
        "INSERT INTO people_person (public_id, given_name, family_name, date_of_birth, gender,"
        " police_identifier, created_at, updated_at)"
        " SELECT gen_random_uuid(), (%s::text[])[1 + i %% %s], (%s::text[])[1 + (i / 7) %% %s],"
        " CASE WHEN i < %s THEN DATE '2008-01-01' + (i %% 5000) ELSE DATE '1955-01-01' + (i %% 18000) END,"
        " (ARRAY['male','female','not_known'])[1 + i %% 3], 'LT' || i, now(), now()"
        " FROM generate_series(0, %s - 1) AS i",
        [
            GIVEN_NAMES,
            len(GIVEN_NAMES),
            FAMILY_NAMES,
            len(FAMILY_NAMES),
            children,
            perpetrators + victims + children,
        ],
    )
    # Numbered lookup tables let the statements below pick "the n-th perpetrator" with a join.
    cursor.execute(
        "CREATE TEMP TABLE lt_person ON COMMIT DROP AS SELECT id, (substr(police_identifier, 3))::int AS n"
        " FROM people_person WHERE police_identifier ~ '^LT[0-9]+$'"
    )
    cursor.execute(
        "INSERT INTO victims_child (public_id, person_id, created_at, updated_at)"
        " SELECT gen_random_uuid(), id, now(), now() FROM lt_person WHERE n < %s",
        [children],
    )
    cursor.execute(
        "INSERT INTO perpetrators_perpetrator (public_id, person_id, warning_markers, created_at, updated_at)"
        " SELECT gen_random_uuid(), id, CASE WHEN n %% 9 = 0 THEN 'Violent' ELSE '' END, now(), now()"
        " FROM lt_person WHERE n >= %s AND n < %s",
        [children, children + perpetrators],
    )
    cursor.execute(
        "INSERT INTO victims_victim (public_id, person_id, created_at, updated_at)"
        " SELECT gen_random_uuid(), id, now(), now() FROM lt_person WHERE n >= %s",
        [children + perpetrators],
    )
    cursor.execute(
        "INSERT INTO victims_victimconfidential (victim_id, address, postcode, phone, email,"
        " safe_contact_arrangements, in_refuge, refuge_details, workplace, created_at, updated_at)"
        " SELECT v.id, v.id || ' Load Test Road', 'LT1 1AA', '07700 900' || lpad((v.id %% 1000)::text, 3, '0'),"
        " '', 'Text first', false, '', '', now(), now() FROM victims_victim v JOIN lt_person p ON p.id = v.person_id",
        [],
    )
    for table, kind in (
        ("perpetrators_perpetrator", "perp"),
        ("victims_victim", "victim"),
        ("victims_child", "child"),
    ):
        cursor.execute(
            f"CREATE TEMP TABLE lt_{kind} ON COMMIT DROP AS"  # noqa: S608 - names are constants
            f" SELECT (row_number() OVER (ORDER BY t.id) - 1)::int AS n, t.id, t.person_id"
            f" FROM {table} t JOIN lt_person p ON p.id = t.person_id"
        )
        cursor.execute(f"CREATE INDEX ON lt_{kind} (n)")


def _users_table(cursor, name: str, where: str, params: list) -> int:
    cursor.execute(
        f"CREATE TEMP TABLE {name} ON COMMIT DROP AS"  # noqa: S608 - names and conditions are constants
        f" SELECT (row_number() OVER (ORDER BY u.id) - 1)::int AS n, u.id, u.agency_id, u.area_id"
        f" FROM accounts_user u JOIN accounts_agency a ON a.id = u.agency_id"
        f" WHERE a.name LIKE %s AND {where}",
        [AGENCY_PREFIX + "%", *params],
    )
    cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608
    return max(1, cursor.fetchone()[0])


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - names are constants
    return max(1, cursor.fetchone()[0])


def _cases(cursor, scale: Scale, operations: dict[int, Operation]) -> None:
    """A perpetrator's first case is usually still open (nine in ten); later ones are closed. An open
    high-risk case has an IDVA; one open case in three an offender manager from probation."""
    officers = _users_table(cursor, "lt_officer", "u.role = %s", [Role.OFFICER])
    idvas = _users_table(cursor, "lt_idva", "u.role = %s", [Role.IDVA])
    probation = _users_table(
        cursor, "lt_probation", "u.role = %s AND a.kind = %s", [Role.PARTNER_CASEWORKER, AgencyKind.PROBATION]
    )
    perpetrators, victims, children = _count(cursor, "lt_perp"), _count(cursor, "lt_victim"), _count(cursor, "lt_child")
    cursor.execute("CREATE TEMP TABLE lt_operation (agency_id bigint, id bigint) ON COMMIT DROP")
    for agency_id, operation in operations.items():
        cursor.execute("INSERT INTO lt_operation VALUES (%s, %s)", [agency_id, operation.pk])
    cursor.execute(
        "INSERT INTO cases_case (public_id, reference, operation_id, perpetrator_id, owning_agency_id, area_id,"
        " spoc_id, offender_manager_id, idva_id, status, risk_level, next_perpetrator_visit_due, risk_review_due,"
        " last_marac_referral_on, opened_at, closed_at, created_at, updated_at)"
        " SELECT gen_random_uuid(), 'LT-' || lpad(s.i::text, 7, '0'), op.id, p.id, o.agency_id, o.area_id, o.id,"
        " CASE WHEN s.open AND s.i %% 3 = 0 THEN pr.id END, CASE WHEN s.open AND s.risk = 'high' THEN iv.id END,"
        " CASE WHEN s.open THEN (ARRAY['active','active','active','active','identified','under_review'])"
        "[1 + s.i %% 6] ELSE 'closed' END, s.risk,"
        " CASE WHEN s.open THEN current_date + (s.i %% 60 - 20) END,"
        " CASE WHEN s.open THEN current_date + (s.i %% 90 - 15) END,"
        " CASE WHEN s.risk = 'high' THEN current_date - (s.i %% 300) END,"
        " s.opened, CASE WHEN NOT s.open THEN s.opened + (s.i %% 300 + 30) * interval '1 day' END, s.opened, now()"
        " FROM (SELECT i, (i < %s AND i %% 10 <> 9) AS open,"
        "   (ARRAY['standard','standard','medium','medium','high','not_assessed','standard','medium'])"
        "[1 + i %% 8] AS risk,"
        "   CASE WHEN i < %s AND i %% 10 <> 9 THEN now() - (random() * interval '330 days')"
        "   ELSE now() - interval '340 days' - (random() * interval '720 days') END AS opened"
        "   FROM generate_series(0, %s - 1) AS i) s"
        " JOIN lt_perp p ON p.n = s.i %% %s"
        " JOIN lt_officer o ON o.n = s.i %% %s"
        " JOIN lt_operation op ON op.agency_id = o.agency_id"
        " LEFT JOIN lt_idva iv ON iv.n = s.i %% %s"
        " LEFT JOIN lt_probation pr ON pr.n = s.i %% %s",
        [perpetrators, perpetrators, scale.cases, perpetrators, officers, idvas, probation],
    )
    cursor.execute(
        "CREATE TEMP TABLE lt_case ON COMMIT DROP AS"
        " SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id, public_id, reference, owning_agency_id, spoc_id,"
        " idva_id, perpetrator_id, status, risk_level, opened_at, coalesce(closed_at, now()) AS ends_at"
        " FROM cases_case WHERE reference LIKE 'LT-%%'",
        [],
    )
    cursor.execute("CREATE INDEX ON lt_case (n)")
    cursor.execute(
        "INSERT INTO cases_casevictim (case_id, victim_id, next_visit_due, created_at, updated_at)"
        " SELECT c.id, v.id, CASE WHEN c.status <> 'closed' THEN current_date + (c.n %% 50 - 15) END, now(), now()"
        " FROM lt_case c CROSS JOIN generate_series(0, 1) AS k"
        # A second victim (one case in five) is someone from the other half of the list.
        " JOIN lt_victim v ON v.n = (c.n + k * (%s / 2)) %% %s"
        " WHERE k = 0 OR c.n %% 5 = 0"
        " ON CONFLICT DO NOTHING",
        [victims, victims],
    )
    cursor.execute(
        "INSERT INTO cases_casechild (case_id, child_id, created_at, updated_at)"
        " SELECT c.id, ch.id, now(), now() FROM lt_case c JOIN lt_child ch ON ch.n = c.n %% %s WHERE c.n %% 4 = 0",
        [children],
    )
    cursor.execute(
        "CREATE TEMP TABLE lt_first_victim ON COMMIT DROP AS"
        " SELECT DISTINCT ON (cv.case_id) cv.case_id, cv.victim_id, v.person_id FROM cases_casevictim cv"
        " JOIN lt_case c ON c.id = cv.case_id JOIN victims_victim v ON v.id = cv.victim_id"
        " ORDER BY cv.case_id, cv.id"
    )
    cursor.execute("CREATE UNIQUE INDEX ON lt_first_victim (case_id)")
    cursor.execute(
        "INSERT INTO cases_chronologyentry (public_id, case_id, kind, occurred_at, recorded_at, actor_id, summary,"
        " visibility) SELECT gen_random_uuid(), id, 'case_opened', opened_at, opened_at, spoc_id,"
        " 'Case ' || reference || ' opened.', 'all' FROM lt_case"
    )


def _visits(cursor, scale: Scale) -> None:
    """Visits alternate between the perpetrator and the first victim; each has its chronology entry.
    One in twenty on an open case is planned rather than done."""
    cases = _count(cursor, "lt_case")
    cursor.execute(
        "INSERT INTO visits_visit (public_id, case_id, victim_id, status, planned_for, occurred_at, outcome,"
        " safeguarding_details, notes, other_people_present, recorded_by_id, recorded_at, next_visit_due,"
        " next_due_override_reason)"
        " SELECT gen_random_uuid(), c.id, CASE WHEN s.i %% 2 = 1 THEN fv.victim_id END,"
        " CASE WHEN x.planned THEN 'planned' ELSE 'completed' END,"
        " CASE WHEN x.planned THEN now() + (s.i %% 14 + 1) * interval '1 day' END,"
        " CASE WHEN NOT x.planned THEN c.opened_at + random() * (c.ends_at - c.opened_at) END,"
        " CASE WHEN x.planned THEN '' ELSE"
        " (ARRAY['seen','seen','seen','seen','no_reply','no_reply','refused','arrested','seen','seen'])"
        "[1 + s.i %% 10] END, '', 'Routine visit.', '', c.spoc_id, now(), NULL, ''"
        " FROM generate_series(0, %s - 1) AS s(i) JOIN lt_case c ON c.n = s.i %% %s"
        " JOIN lt_first_victim fv ON fv.case_id = c.id"
        " CROSS JOIN LATERAL (SELECT (s.i %% 20 = 19 AND c.status <> 'closed') AS planned) x",
        [scale.visits, cases],
    )
    cursor.execute(
        "INSERT INTO cases_chronologyentry (public_id, case_id, kind, occurred_at, recorded_at, actor_id, summary,"
        " visibility)"
        " SELECT gen_random_uuid(), v.case_id, 'visit', coalesce(v.occurred_at, v.recorded_at), v.recorded_at,"
        " v.recorded_by_id, CASE WHEN v.victim_id IS NULL THEN 'Visit to the perpetrator: '"
        " ELSE 'Visit to a victim: ' END || CASE WHEN v.status = 'planned' THEN 'planned' ELSE v.outcome END || '.',"
        " CASE WHEN v.victim_id IS NULL THEN 'all' ELSE 'victim_side' END"
        " FROM visits_visit v JOIN lt_case c ON c.id = v.case_id"
    )


def _answers(yes: int) -> str:
    return json.dumps({key: Answer.YES if n < yes else Answer.NO for n, key in enumerate(QUESTION_KEYS)})


def _assessments_and_plans(cursor) -> None:
    """A DASH for every victim on an assessed case, matching the case's level; a safety plan for every
    victim on an open case with an IDVA."""
    cursor.execute(
        "INSERT INTO risk_riskassessment (public_id, case_id, victim_id, assessed_by_id, assessed_at, answers,"
        " yes_count, score_level, judgement_level, judgement_reason, final_level, visible_high_risk,"
        " potential_escalation, repeat_marac, notes)"
        " SELECT gen_random_uuid(), c.id, cv.victim_id, c.spoc_id, c.opened_at + interval '2 days',"
        " (CASE c.risk_level WHEN 'high' THEN %s WHEN 'medium' THEN %s ELSE %s END)::jsonb,"
        " CASE c.risk_level WHEN 'high' THEN 15 WHEN 'medium' THEN 11 ELSE 4 END,"
        " c.risk_level, '', '', c.risk_level, c.risk_level = 'high', false, false, ''"
        " FROM lt_case c JOIN cases_casevictim cv ON cv.case_id = c.id WHERE c.risk_level <> 'not_assessed'",
        [_answers(15), _answers(11), _answers(4)],
    )
    cursor.execute(
        "INSERT INTO safety_plans_safetyplan (public_id, case_id, victim_id, version, review_due, updated_at,"
        " updated_by_id)"
        " SELECT gen_random_uuid(), c.id, cv.victim_id, 1, current_date + (c.n %% 40 - 10), now(), c.idva_id"
        " FROM lt_case c JOIN cases_casevictim cv ON cv.case_id = c.id"
        " WHERE c.status <> 'closed' AND c.idva_id IS NOT NULL",
        [],
    )


def _incidents(cursor, scale: Scale, police: list[Agency]) -> None:
    """Incidents over the last two years, each recorded by a force in one of its areas, with a victim."""
    cursor.execute(
        "CREATE TEMP TABLE lt_area ON COMMIT DROP AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id,"
        " agency_id FROM accounts_area WHERE agency_id = ANY(%s)",
        [[agency.pk for agency in police]],
    )
    areas, perpetrators, victims = _count(cursor, "lt_area"), _count(cursor, "lt_perp"), _count(cursor, "lt_victim")
    cursor.execute(
        "INSERT INTO incidents_incident (public_id, source_reference, occurred_at, area_id, recording_agency_id,"
        " offence_category, is_crime, perpetrator_id, injury, weapon_used, summary, created_at, updated_at)"
        " SELECT gen_random_uuid(), 'LT/' || s.i, now() - (random() * interval '730 days'), a.id, a.agency_id,"
        " (ARRAY['abh','common_assault','stalking','harassment','gbh','strangulation','threats_to_kill',"
        "'criminal_damage','non_crime','coercive_control'])[1 + s.i %% 10], s.i %% 10 <> 8, p.id,"
        " s.i %% 7 = 0, s.i %% 23 = 0, '', now(), now()"
        # A skewed choice: a few perpetrators offend far more often than most.
        " FROM (SELECT i, floor(power(random(), 2) * %s)::bigint AS perpetrator_n"
        "   FROM generate_series(0, %s - 1) AS i) s"
        " JOIN lt_area a ON a.n = s.i %% %s JOIN lt_perp p ON p.n = s.perpetrator_n",
        [perpetrators, scale.incidents, areas],
    )
    cursor.execute(
        "INSERT INTO incidents_incident_victims (incident_id, victim_id)"
        " SELECT i.id, v.id FROM incidents_incident i"
        " JOIN lt_victim v ON v.n = i.id %% %s WHERE i.source_reference LIKE 'LT/%%'",
        [victims],
    )


def _referrals(cursor, scale: Scale) -> None:
    """Referrals from the owning force to partners. On open cases most are accepted or completed and a
    few still await a response; on closed cases all are finished."""
    cursor.execute(
        "CREATE TEMP TABLE lt_partner ON COMMIT DROP AS"
        " SELECT (row_number() OVER (ORDER BY a.id) - 1)::int AS n, a.id, a.side,"
        " (SELECT min(u.id) FROM accounts_user u WHERE u.agency_id = a.id AND u.role <> 'supervisor') AS worker_id"
        " FROM accounts_agency a WHERE a.name LIKE %s AND a.kind <> 'police'",
        [AGENCY_PREFIX + "%"],
    )
    partners, cases = _count(cursor, "lt_partner"), _count(cursor, "lt_case")
    retention = settings.REFERRAL_ACCESS_RETENTION_DAYS
    cursor.execute(
        "INSERT INTO referrals_referral (public_id, reference, case_id, subject_person_id, subject_role,"
        " from_agency_id, created_by_id, to_agency_id, external_agency_name, external_agency_contact, reason,"
        " urgency, sharing, consent, consent_method, consent_override_reason, consent_override_authorised_role,"
        " consent_override_authorised_by, status, created_at, sent_at, response_due_on, first_opened_at,"
        " responded_at, responded_by_id, decline_reason, completed_at, outcome, access_ends_at, withdrawn_at,"
        " withdraw_reason)"
        " SELECT gen_random_uuid(), 'LTR' || s.i, c.id,"
        " CASE WHEN pa.side = 'perpetrator' THEN pp.person_id ELSE fv.person_id END,"
        " CASE WHEN pa.side = 'perpetrator' THEN 'perpetrator' ELSE 'victim' END,"
        " c.owning_agency_id, c.spoc_id, pa.id, '', '', 'Repeat domestic abuse: support requested.',"
        " (ARRAY['high','standard','standard'])[1 + s.i %% 3],"
        " CASE WHEN s.i %% 2 = 0 THEN 'with_victim_contact' ELSE 'summary' END, 'given', 'verbal', '', '', '',"
        " s.status, s.sent, s.sent, (s.sent + interval '5 days')::date,"
        " CASE WHEN s.status <> 'sent' OR s.i %% 2 = 0 THEN s.sent + interval '2 hours' END,"
        " CASE WHEN s.status IN ('accepted','declined','completed') THEN s.sent + interval '1 day' END,"
        " CASE WHEN s.status IN ('accepted','declined','completed') THEN pa.worker_id END,"
        " CASE WHEN s.status = 'declined' THEN 'Not eligible for the service.' ELSE '' END,"
        " CASE WHEN s.status = 'completed' THEN s.finished END,"
        " CASE WHEN s.status = 'completed' THEN 'Work completed.' ELSE '' END,"
        " CASE WHEN s.status = 'completed' THEN s.finished + %s * interval '1 day' END,"
        " CASE WHEN s.status = 'withdrawn' THEN s.finished END,"
        " CASE WHEN s.status = 'withdrawn' THEN 'No longer needed.' ELSE '' END"
        " FROM (SELECT i, c.id AS case_id,"
        "   CASE WHEN c.status = 'closed' THEN (ARRAY['completed','completed','completed','completed','completed',"
        "'completed','completed','declined','declined','withdrawn'])[1 + i %% 10]"
        "   WHEN i %% 100 < 3 THEN 'sent' WHEN i %% 100 < 45 THEN 'accepted' WHEN i %% 100 < 55 THEN 'declined'"
        "   WHEN i %% 100 < 95 THEN 'completed' ELSE 'withdrawn' END AS status,"
        "   CASE WHEN c.status <> 'closed' AND i %% 100 < 3 THEN now() - (i %% 72) * interval '1 hour'"
        "   ELSE c.opened_at + random() * (c.ends_at - c.opened_at) * 0.5 END AS sent,"
        "   c.opened_at + (c.ends_at - c.opened_at) * 0.8 AS finished"
        "   FROM generate_series(0, %s - 1) AS i JOIN lt_case c ON c.n = i %% %s) s"
        " JOIN lt_case c ON c.id = s.case_id JOIN lt_first_victim fv ON fv.case_id = c.id"
        " JOIN perpetrators_perpetrator pp ON pp.id = c.perpetrator_id"
        " JOIN lt_partner pa ON pa.n = (s.i + s.i / %s) %% %s",
        [retention, scale.referrals, cases, cases, partners],
    )


def _grants(cursor) -> None:
    """What accepting a referral gives (permissions.services.case_access_grant), written in bulk."""
    cursor.execute(
        "INSERT INTO permissions_caseaccessgrant (public_id, case_id, agency_id, source_kind, source_id,"
        " shares_victim_contact, purpose, granted_by_id, granted_at, revoked_by_id, revoked_at, revoke_reason)"
        " SELECT gen_random_uuid(), r.case_id, r.to_agency_id, 'referral', r.public_id,"
        " r.sharing = 'with_victim_contact' AND a.side <> 'perpetrator', 'Referral ' || r.reference,"
        " r.responded_by_id, r.responded_at, NULL, NULL, ''"
        " FROM referrals_referral r JOIN accounts_agency a ON a.id = r.to_agency_id"
        " WHERE r.reference LIKE 'LTR%%'"
        " AND (r.status = 'accepted' OR (r.status = 'completed' AND r.access_ends_at > now()))",
        [],
    )
    for codename, condition in (("view_case", "true"), ("view_victim_contact", "g.shares_victim_contact")):
        permission = Permission.objects.get(content_type__app_label="cases", codename=codename)
        cursor.execute(
            "INSERT INTO permissions_casegroupobjectpermission (permission_id, group_id, content_object_id)"  # noqa: S608 - the condition is one of two constants
            " SELECT DISTINCT %s, a.group_id, g.case_id FROM permissions_caseaccessgrant g"
            f" JOIN accounts_agency a ON a.id = g.agency_id WHERE g.revoked_at IS NULL AND {condition}"
            " ON CONFLICT DO NOTHING",
            [permission.pk],
        )
    cursor.execute("ANALYZE")

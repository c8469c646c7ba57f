"""What disposing of a case removes, worked out from the data model itself.

The case's own records are every row that refers to the case, and every row that refers to one of
those, and so on (visits, their officers and documents, orders and their breaches, referrals and
their updates, agenda items and their actions, assessments, plans, reminders, grants...): whatever
app added them, found through the models' relations, never from a list that could miss a new one.

The people of the case (its perpetrator, victims and children, and anyone its records name, such as
a referral's subject) go too when nothing that is kept names them. A person's own records are found
the same way from their person record: their roles (perpetrator, victim, child) and confidential
details, the incidents they are the perpetrator of, their scores, tasking entries, duplicate
candidates and merges, documents attached to them, records merged into theirs. A person is kept
when any of those belongs to a case, or an incident, that is kept (another case they are in, a
referral of another case about them, an incident of another perpetrator that names them as a victim):
everything of theirs then stays.

Shared records are never removed nor followed: agencies, areas, users, operations, meetings (their
agenda items for this case are removed), tasking lists (an entry for a removed perpetrator is).
Past versions kept by django-simple-history go with their rows. The access log is not touched: it is
the record of who consulted what, kept by its own schedule (docs/records.md).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from cases.models import Case, Operation
from dacrre.accounts.models import Agency, Area, User
from dacrre.audit.models import AccessLog
from dacrre.core.exceptions import NotFoundError
from incidents.models import Incident
from meetings.models import Meeting
from people.models import Person
from perpetrators.models import Perpetrator
from scoring.models import TaskingSnapshot
from victims.models import Child, Victim

# Never removed, never followed: what many cases share, and the log of who looked at what.
SHARED: tuple[type[models.Model], ...] = (
    Agency,
    Area,
    User,
    Group,
    Permission,
    ContentType,
    Operation,
    Meeting,
    TaskingSnapshot,
    AccessLog,
)
# A person in a row that belongs to one of these, when it is kept, is kept too.
KEEPS_A_PERSON: tuple[type[models.Model], ...] = (Case, Incident)
PERSON_MODELS: tuple[type[models.Model], ...] = (Person, Perpetrator, Victim, Child)

Rows = dict[type[models.Model], set[int]]


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # simple_history's historical models


def _references_to(model: type[models.Model]) -> list[models.ForeignObject]:
    """Every foreign key (or one-to-one) of another model that points at `model`, hidden ones (those
    with related_name "+" and many-to-many link tables) included; historical copies left out."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        referring = relation.related_model
        if _is_history(referring) or issubclass(referring, SHARED):
            continue
        found.append(relation.field)
    return found


def _collect(start: type[models.Model], pks: Iterable[int], rows: Rows, *, stop: Rows | None = None) -> Rows:
    """Add to `rows` the rows of `start` with these ids and every row that refers to them, however
    indirectly. Rows already in `stop` (another collection) are not followed again."""
    queue: list[tuple[type[models.Model], set[int]]] = [(start, set(pks))]
    while queue:
        model, ids = queue.pop()
        new = ids - rows[model] - (stop or {}).get(model, set())
        if not new:
            continue
        rows[model] |= new
        for fk in _references_to(model):
            referring = fk.model
            found = set(referring._base_manager.filter(**{f"{fk.name}__in": new}).values_list("pk", flat=True))
            if found:
                queue.append((referring, found))
    return rows


def _forward_values(model: type[models.Model], pks: set[int], targets: tuple[type[models.Model], ...]) -> Rows:
    """The rows of `targets` that these rows point at (their foreign keys)."""
    found: Rows = defaultdict(set)
    for fk in model._meta.concrete_fields:
        related = getattr(fk, "related_model", None)
        if fk.is_relation and related is not None and issubclass(related, targets):
            values = model._base_manager.filter(pk__in=pks).exclude(**{f"{fk.attname}__isnull": True})
            found[related] |= set(values.values_list(fk.attname, flat=True))
    return found


def _person_ids(rows: Rows) -> set[int]:
    """The people these rows are, or hold a role of."""
    ids = set(rows.get(Person, set()))
    for role in (Perpetrator, Victim, Child):
        if rows.get(role):
            ids |= set(role._base_manager.filter(pk__in=rows[role]).values_list("person_id", flat=True))
    return ids


@dataclass
class PersonFate:
    person: Person
    removed: bool
    kept_because: str = ""


@dataclass
class DisposalPlan:
    """Every row disposing of the case removes, and what happens to each of its people."""

    case: Case
    rows: Rows = field(default_factory=lambda: defaultdict(set))
    people: list[PersonFate] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows removed by kind of record, by the models' plural names ("visits": 3)."""
        counted = {
            str(model._meta.verbose_name_plural).capitalize(): len(ids)
            for model, ids in self.rows.items()
            if ids and not model._meta.auto_created
        }
        return dict(sorted(counted.items()))

    @property
    def people_removed(self) -> list[PersonFate]:
        return [fate for fate in self.people if fate.removed]

    @property
    def people_kept(self) -> list[PersonFate]:
        return [fate for fate in self.people if not fate.removed]

    def storage_names(self) -> list[str]:
        from documents.models import Document

        return list(
            Document.objects.filter(pk__in=self.rows.get(Document, set())).values_list("storage_name", flat=True)
        )


def _keeper(rows: Rows, removed: Rows, case_rows: Rows) -> str:
    """Why these rows (a person's own) keep their person: the first that is, or belongs to, a case
    or an incident that is not removed. `removed` is what the case and everyone leaving with it take;
    cases go only with their own disposal (`case_rows`), never with a person. "" when there is none."""
    for model, ids in rows.items():
        if not ids:
            continue
        if issubclass(model, Case) and ids - case_rows.get(model, set()):
            return "is in another case"
        for target, target_ids in _forward_values(model, ids, KEEPS_A_PERSON).items():
            gone = case_rows if issubclass(target, Case) else removed
            if target_ids - gone.get(target, set()):
                what = "another case" if issubclass(target, Case) else "an incident of another perpetrator"
                return f"is named in {what} ({model._meta.verbose_name})"
    return ""


def disposal_plan(case: Case) -> DisposalPlan:
    """What disposing of the case would remove: the same answer for the review page, the
    confirmation and the disposal itself."""
    plan = DisposalPlan(case=case)
    _collect(Case, [case.pk], plan.rows)
    candidates = {case.perpetrator.person_id}
    candidates |= set(case.case_victims.values_list("victim__person_id", flat=True))
    candidates |= set(case.case_children.values_list("child__person_id", flat=True))
    for model, ids in list(plan.rows.items()):
        candidates |= _person_ids(_forward_values(model, ids, PERSON_MODELS))
    own: dict[int, Rows] = {pk: _collect(Person, [pk], defaultdict(set), stop=plan.rows) for pk in candidates}
    going = set(candidates)
    reasons: dict[int, str] = {}
    changed = True
    while changed:  # a person kept keeps what is theirs, which may keep another: until nothing changes
        changed = False
        removed: Rows = defaultdict(set)
        for rows in [plan.rows, *(own[pk] for pk in going)]:
            for model, ids in rows.items():
                removed[model] |= ids
        for pk in sorted(going):
            reason = _keeper(own[pk], removed, plan.rows)
            if reason:
                going.discard(pk)
                reasons[pk] = reason
                changed = True
                break
    for pk in going:
        for model, ids in own[pk].items():
            plan.rows[model] |= ids
    people = Person.objects.in_bulk(candidates)
    if len(people) != len(candidates):
        # Another reviewer's disposal removed them while this plan was drawn: the case has gone too.
        raise NotFoundError("Case not found.")
    plan.people = sorted(
        (PersonFate(people[pk], pk in going, reasons.get(pk, "")) for pk in candidates),
        key=lambda fate: (not fate.removed, fate.person.family_name, fate.person.given_name),
    )
    return plan


def rows_delete(rows: Rows) -> int:
    """Delete the rows and their past versions. Foreign keys are checked at the end of the
    transaction (PostgreSQL and SQLite defer them), so the order does not matter; the caller then
    checks them at once, so that a row missed would stop the disposal, never leave a dangling link."""
    deleted = 0
    for model, ids in rows.items():
        if not ids:
            continue
        deleted += model._base_manager.filter(pk__in=ids)._raw_delete(model._base_manager.db)
        try:
            history = get_history_model_for_model(model)
        except NotHistoricalModelError:
            continue
        history._base_manager.filter(**{f"{model._meta.pk.attname}__in": ids})._raw_delete(history._base_manager.db)
    return deleted

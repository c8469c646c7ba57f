"""Agencies, their areas or teams, and the users who work for them."""

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from dacrre.core.models import PublicIdModel


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    IDVA_SERVICE = "idva_service", "IDVA service"
    VICTIM_SUPPORT = "victim_support", "Victim support"
    PROBATION = "probation", "Probation"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    HOUSING = "housing", "Housing"
    DRUG_AND_ALCOHOL = "drug_and_alcohol", "Drug and alcohol service"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PERPETRATOR_PROGRAMME = "perpetrator_programme", "Perpetrator programme"
    OTHER = "other", "Other"


class AgencySide(models.TextChoices):
    """Which side of a case the agency works with; perpetrator-side never sees victim contact details."""

    VICTIM = "victim", "Victim-side"
    PERPETRATOR = "perpetrator", "Perpetrator-side"
    BOTH = "both", "Both"


# The sides that work with victims (the police work with both).
VICTIM_SIDES = frozenset({AgencySide.VICTIM, AgencySide.BOTH})
# The perpetrator-side kinds of agency whose caseworkers allocate perpetrators to programmes.
PERPETRATOR_PROGRAMME_KINDS = frozenset({AgencyKind.PROBATION, AgencyKind.PERPETRATOR_PROGRAMME})


class Agency(PublicIdModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    side = models.CharField(max_length=16, choices=AgencySide.choices)
    is_active = models.BooleanField(default=True)
    # One group per agency carries the agency's per-case grants (django-guardian, direct FK).
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_perpetrator_side(self) -> bool:
        return self.side == AgencySide.PERPETRATOR

    @property
    def is_victim_side(self) -> bool:
        return self.side in VICTIM_SIDES

    @property
    def is_police(self) -> bool:
        return self.kind == AgencyKind.POLICE


class Area(PublicIdModel):
    """An area or team inside an agency (e.g. North, South, West for a police force)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_area_name_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency.name}: {self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", "Officer / SPOC"
    SUPERVISOR = "supervisor", "Supervisor"
    IDVA = "idva", "IDVA"
    PARTNER_CASEWORKER = "partner_caseworker", "Partner caseworker"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor / DPO"
    ADMIN = "admin", "Administrator"


class Scope(models.TextChoices):
    """How far a user's own-agency visibility reaches beyond the cases they are assigned to."""

    NONE = "none", "No cases"
    ASSIGNED = "assigned", "Cases assigned to them"
    AREA = "area", "Their area or team"
    AGENCY = "agency", "Their whole agency"


# Which scopes each role may hold, the first being the role's default. Visibility needs both: a
# scope outside this table gives nothing (cases.selectors), the admin and user_create refuse it, and
# the database refuses it too (constraint user_role_scope_allowed). Auditors and administrators see
# no case; analysts see their agency's cases but do no casework (docs/permissions.md).
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.OFFICER: (Scope.ASSIGNED, Scope.AREA),
    Role.SUPERVISOR: (Scope.AREA, Scope.AGENCY),
    Role.IDVA: (Scope.ASSIGNED, Scope.AGENCY),
    Role.PARTNER_CASEWORKER: (Scope.ASSIGNED, Scope.AGENCY),
    Role.ANALYST: (Scope.AGENCY,),
    Role.AUDITOR: (Scope.NONE,),
    Role.ADMIN: (Scope.NONE,),
}
# The roles that work on cases: they may hold a case (SPOC, offender manager, IDVA), see the cases
# granted to their agency by a referral or a meeting, have a caseload and tasks, answer referrals,
# take part in meetings and complete their actions.
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.IDVA, Role.PARTNER_CASEWORKER})
# The casework roles that lead on a case: they refer it to other agencies and organise its meetings
# (partner caseworkers answer referrals and complete meeting actions).
CASE_LEAD_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.IDVA})
# The police's casework roles: the owning force's officers and supervisors record visits, orders
# and Clare's Law decisions.
POLICE_CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
# The casework roles whose caseload includes the cases shared with their agency.
SHARED_CASELOAD_ROLES = frozenset({Role.IDVA, Role.PARTNER_CASEWORKER})


def scope_allowed(role: str, scope: str) -> bool:
    return scope in ROLE_SCOPES.get(role, ())


def default_scope_for(role: str) -> str:
    return ROLE_SCOPES.get(role, (Scope.NONE,))[0]


def role_scope_error(role: str, scope: str) -> str:
    """The message the admin and user_create give for a scope the role may not hold ("" if allowed)."""
    if scope_allowed(role, scope) or role not in ROLE_SCOPES:
        return ""
    allowed = " or ".join(f"'{Scope(s).label}'" for s in ROLE_SCOPES.get(role, ()))
    return f"The role {Role(role).label} can only have the scope {allowed}: choose one of these."


def _role_scope_condition() -> models.Q:
    condition = models.Q()
    for role, scopes in ROLE_SCOPES.items():
        condition |= models.Q(role=role, scope__in=list(scopes))
    return condition


class User(PublicIdModel, AbstractUser):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.OFFICER)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ASSIGNED)
    job_title = models.CharField(max_length=100, blank=True)

    # Who changed a role, scope, agency or active flag, and when. Secrets stay out of history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(condition=models.Q(scope__in=Scope.values), name="user_scope_valid"),
            models.CheckConstraint(condition=_role_scope_condition(), name="user_role_scope_allowed"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors = {}
        if error := role_scope_error(self.role, self.scope):
            errors["scope"] = error
        elif self.scope == Scope.AREA and self.area_id is None:
            errors["area"] = "Choose the user's area or team: their scope is 'Their area or team'."
        if self.area is not None and self.area.agency_id != self.agency_id:
            errors["area"] = "Choose an area or team of the user's agency."
        if errors:
            raise ValidationError(errors)

    @property
    def is_perpetrator_side(self) -> bool:
        return self.agency is not None and self.agency.is_perpetrator_side

    @property
    def is_victim_side(self) -> bool:
        """Of an agency that works with victims (victim-side, or both as the police)."""
        return self.agency is not None and self.agency.is_victim_side

    @property
    def is_police(self) -> bool:
        return self.agency is not None and self.agency.is_police

    @property
    def may_read(self) -> bool:
        """The one rule for a signed-in account reading anything: the user is active and so is their
        agency. Deactivating either takes effect on the next request (cases.selectors, and sign-in:
        dacrre.accounts.auth)."""
        return bool(self.is_active and (self.agency_id is None or self.agency.is_active))  # type: ignore[union-attr]


class KeptSubmission(models.Model):
    """A form's input that arrived after its user's session had ended, kept here (never in the
    browser's storage) until that same user signs in again and is brought back to the form with it
    filled in, to check and submit (never submitted for them). Deleted once shown, and at the latest
    after SESSION_ABSOLUTE_SECONDS."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    form_path = models.CharField(max_length=500)  # the page the form is on
    action_path = models.CharField(max_length=500)  # where it was posted
    fields = models.JSONField()  # {name: [values]}, without the CSRF token and passwords
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "form_path"])]

    def __str__(self) -> str:
        return f"{self.user} {self.form_path} {self.created_at:%Y-%m-%d %H:%M}"

"""Agencies, their areas or teams, and the users who work for them."""

from django.contrib.auth.models import AbstractUser, Group
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

    ASSIGNED = "assigned", "Cases assigned to them"
    AREA = "area", "Their area or team"
    AGENCY = "agency", "Their whole agency"


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
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_perpetrator_side(self) -> bool:
        return self.agency is not None and self.agency.is_perpetrator_side


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

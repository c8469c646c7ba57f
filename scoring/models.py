"""The repeat-perpetrator (RFG-V) scoring settings, editable in the admin, and monthly tasking lists."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel
from incidents.models import OffenceCategory

DEFAULT_RECENCY_BANDS = [[30, 10], [90, 7], [180, 4], [365, 1]]
DEFAULT_GRAVITY = {
    OffenceCategory.HOMICIDE_ATTEMPT: 50,
    OffenceCategory.GBH: 30,
    OffenceCategory.STRANGULATION: 30,
    OffenceCategory.SEXUAL_OFFENCE: 30,
    OffenceCategory.THREATS_TO_KILL: 20,
    OffenceCategory.ABH: 15,
    OffenceCategory.STALKING: 15,
    OffenceCategory.COERCIVE_CONTROL: 15,
    OffenceCategory.BREACH_OF_ORDER: 10,
    OffenceCategory.HARASSMENT: 8,
    OffenceCategory.COMMON_ASSAULT: 6,
    OffenceCategory.CRIMINAL_DAMAGE: 4,
    OffenceCategory.PUBLIC_ORDER: 3,
    OffenceCategory.NON_CRIME: 1,
}


class ScoringSettings(models.Model):
    """One row. Total = recency × points + frequency × incidents + gravity × harm + victims × distinct victims."""

    lookback_days = models.PositiveSmallIntegerField(default=365)
    weight_recency = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    weight_frequency = models.DecimalField(max_digits=6, decimal_places=2, default=5)
    weight_gravity = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    weight_victims = models.DecimalField(max_digits=6, decimal_places=2, default=10)
    # [[days since the latest incident, points], ...], most recent band first.
    recency_bands = models.JSONField(default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "scoring settings"
        constraints = [models.CheckConstraint(condition=Q(lookback_days__gte=30), name="lookback_at_least_30_days")]

    def __str__(self) -> str:
        return f"RFG-V over {self.lookback_days} days"

    @classmethod
    def current(cls) -> "ScoringSettings":
        settings = cls.objects.order_by("pk").first() or cls()
        if not settings.recency_bands:
            settings.recency_bands = DEFAULT_RECENCY_BANDS
        return settings


class GravityWeight(models.Model):
    """The harm weight of one offence category (crime-harm style); missing categories weigh 1."""

    offence_category = models.CharField(max_length=32, choices=OffenceCategory.choices, unique=True)
    weight = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-weight"]

    def __str__(self) -> str:
        return f"{self.get_offence_category_display()}: {self.weight}"


def gravity_table() -> dict[str, int]:
    table = {str(k): v for k, v in DEFAULT_GRAVITY.items()}
    table.update(dict(GravityWeight.objects.values_list("offence_category", "weight")))
    return table


class TaskingSnapshot(models.Model):
    """The monthly "top N per area" tasking list, frozen so that months can be compared."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the list is for.")
    top_n = models.PositiveSmallIntegerField()
    taken_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "area__name"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="one_tasking_list_per_area_month")]

    def __str__(self) -> str:
        return f"Top {self.top_n} for {self.area.name}, {self.month:%B %Y}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(object_type="tasking list", object_id=self.public_id, label=str(self))


class TaskingEntry(models.Model):
    snapshot = models.ForeignKey(TaskingSnapshot, on_delete=models.CASCADE, related_name="entries")
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=12, decimal_places=2)
    frequency = models.PositiveIntegerField()
    gravity = models.PositiveIntegerField()
    victims = models.PositiveIntegerField()
    # The inspector who owns the entry for the month and sees that it is tasked out daily: a police
    # supervisor of the list's force, set on the list's page.
    inspector = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "perpetrator"], name="perpetrator_once_per_list")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.perpetrator}"


class TaskingKind(models.TextChoices):
    PATROL = "patrol", "Patrol"
    TARGETING = "targeting", "Targeting the perpetrator"
    BAIL_CHECK = "bail_check", "Bail check"
    ORDER_CHECK = "order_check", "Order check"
    WARRANT = "warrant", "Warrant"


class TaskingResult(models.TextChoices):
    SEEN = "seen", "Perpetrator seen, nothing further"
    NOT_FOUND = "not_found", "Perpetrator not found"
    COMPLIANT = "compliant", "Bail or order conditions complied with"
    BREACH = "breach", "Breach found"
    ARRESTED = "arrested", "Arrested"
    PATROL_DONE = "patrol_done", "Patrol done, nothing to report"
    NOT_DONE = "not_done", "Not done"


class DailyTasking(PublicIdModel):
    """One day's tasking of an officer on a top-N entry: what to do, and what came of it."""

    entry = models.ForeignKey(TaskingEntry, on_delete=models.CASCADE, related_name="taskings")
    # The perpetrator's open case of the force when tasked, if there was one.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    tasked_on = models.DateField()
    officer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=TaskingKind.choices)
    instructions = models.CharField(max_length=300, blank=True)
    tasked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    tasked_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(max_length=16, choices=TaskingResult.choices, blank=True)
    result_notes = models.TextField(blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-tasked_on", "-tasked_at"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "officer", "kind", "tasked_on"], name="one_tasking_per_day"),
            models.CheckConstraint(
                condition=(Q(result="") & Q(result_recorded_at__isnull=True))
                | (~Q(result="") & Q(result_recorded_at__isnull=False)),
                name="tasking_result_recorded_with_its_time",
            ),
        ]
        indexes = [models.Index(fields=["officer", "tasked_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.tasked_on:%d %b %Y}"

    def access_subject(self) -> AccessSubject:
        perpetrator = self.entry.perpetrator
        return AccessSubject(
            object_type="tasking",
            object_id=self.public_id,
            label=f"{self} of {perpetrator.person.full_name}",
            person=perpetrator.person,
        )


class PerpetratorScore(models.Model):
    """Stored scores, refreshed by a set-based job, so that the ranked page reads the top rows from an
    index instead of ranking everyone on each request. `area` null = all of the agency's areas."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("accounts.Area", on_delete=models.CASCADE, related_name="+", null=True)
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.CASCADE, related_name="+")
    frequency = models.PositiveIntegerField()
    gravity = models.PositiveIntegerField()
    victims_count = models.PositiveIntegerField()
    latest = models.DateTimeField()
    recency_points = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=12, decimal_places=2)
    computed_at = models.DateTimeField()

    class Meta:
        # The page's ORDER BY, so the top rows come straight off the index.
        indexes = [models.Index(fields=["agency", "area", "-total", "-gravity", "id"], name="score_ranking_order")]

    def __str__(self) -> str:
        return f"{self.perpetrator_id}: {self.total}"


class VictimIncidentCount(models.Model):
    """How many of the window's incidents (by anyone) each victim suffered, stored with the scores so
    that the ranked page shows repeat victimisation without counting across the incidents table."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("accounts.Area", on_delete=models.CASCADE, related_name="+", null=True)
    victim = models.ForeignKey("victims.Victim", on_delete=models.CASCADE, related_name="+")
    incidents = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agency", "area", "victim"], name="victim_count_lookup")]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.incidents}"

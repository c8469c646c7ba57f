"""A person known to the system. Perpetrator, victim and child are roles a person can hold,
so one real person can be a victim in one case and a perpetrator in another."""

from django.db import models
from django.db.models import Func
from django.db.models.functions import Lower, Replace
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel

# What a name is compared by in the database: lower case, without the spaces and punctuation names are
# written with ("O'Brien-Smyth" and "obriensmyth" give the same key). Accents stay (the import's
# matching drops them: matching.normalise_name); a search tolerates them as a one-letter slip.
NAME_KEY_DROPPED = (" ", "-", "'", "\u2019", ".", ",")


def name_key(field: str) -> Func:
    """The key of a name column, as an expression both the index and the search use (so the index is used)."""
    expression: Func = Lower(field)
    for character in NAME_KEY_DROPPED:
        expression = Replace(expression, models.Value(character), models.Value(""))
    return expression


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Person(PublicIdModel, TimeStampedModel):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    # The police records system's person identifier (e.g. a PNC or local nominal number).
    police_identifier = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # Set when a reviewer merged this record into another; the record stays so the merge can be reversed.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["family_name", "given_name", "date_of_birth"]),
            # The header search: by name key (family, then given, and given alone for a single word)
            # and by date of birth.
            models.Index(name_key("family_name"), name_key("given_name"), name="person_name_keys"),
            models.Index(name_key("given_name"), name="person_given_key"),
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def access_subject(self) -> AccessSubject:
        return AccessSubject(object_type="person", object_id=self.public_id, label=self.full_name, person=self)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Awaiting review"
    MERGED = "merged", "Merged"
    KEPT_APART = "kept_apart", "Kept apart"


class DuplicateCandidate(PublicIdModel, TimeStampedModel):
    """Two records that may be the same person, raised by matching and decided by a person."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    # The force whose import raised the pair: its analysts and supervisors review it.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One row per pair, stored lowest id first, so a re-import never raises the pair twice.
            models.UniqueConstraint(fields=["first", "second"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.first_id} / {self.second_id}: {self.get_status_display()}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="possible duplicate",
            object_id=self.public_id,
            label=f"{self.first.full_name} / {self.second.full_name}",
        )


class PersonMerge(TimeStampedModel):
    """One merge: which record was kept, which was folded into it, and every row moved, so that
    an administrator can put everything back."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(DuplicateCandidate, on_delete=models.PROTECT, null=True, related_name="merges")
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    # [{"model": "cases.case", "pk": 5, "field": "perpetrator_id", "old": 12, "new": 30}, ...]
    changes = models.JSONField(default=list)
    reversed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Merge of {self.merged_id} into {self.kept_id}"

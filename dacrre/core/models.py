"""Building blocks shared by every domain model."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class PublicIdModel(models.Model):
    """Bigint primary key inside the database; an opaque UUID is the only id that leaves it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ReferenceCounter(models.Model):
    """The last number issued per prefix and year, for human references like DA-26-00042."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:02d}: {self.last_value}"


def reference_next(*, prefix: str) -> str:
    """Issue the next reference for `prefix` this year. Gap-free and safe under concurrency."""
    year = timezone.localdate().year % 100
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    return f"{prefix}-{year:02d}-{counter.last_value:05d}"


class FormSubmission(models.Model):
    """The one-time token of a form that was acted on (`dacrre.core.form_tokens`). Written in the
    transaction of what the form saved, so two submits of the same form cannot both save: the second
    finds this row and is shown the first result."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    result_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.path} by user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"

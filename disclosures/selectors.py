"""Reads for Clare's Law."""

import datetime

from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils import timezone

from cases.models import Case, CaseVictim
from victims.models import Victim

from .models import DisclosureApplication

# How far back an incident linking the perpetrator to someone new is a reason to consider telling them.
NEW_PARTNER_WINDOW = datetime.timedelta(days=365)


def new_partners_of(case: Case) -> QuerySet[Victim]:
    """People the case's perpetrator is linked to by an incident in the last year who are not on
    the case and for whom no Clare's Law application is recorded on it: the new partner a
    right-to-know disclosure may protect. Each with `first_seen`, their first such incident."""
    since = timezone.now() - NEW_PARTNER_WINDOW
    return (
        Victim.objects.filter(incidents__perpetrator_id=case.perpetrator_id, incidents__occurred_at__gte=since)
        .exclude(Exists(CaseVictim.objects.filter(case=case, victim=OuterRef("pk"))))
        .exclude(Exists(DisclosureApplication.objects.filter(case=case, person_at_risk=OuterRef("pk"))))
        .annotate(first_seen=Min("incidents__occurred_at"))
        .select_related("person")
        .order_by("first_seen")
    )

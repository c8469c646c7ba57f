from django.db.models import QuerySet
from rest_framework import serializers

from cases.api import LoggedReadOnlyViewSet
from dacrre.core.api import BlankAsNullChoiceField

from .models import Visit, VisitOutcome
from .selectors import visits_visible_to_user


class VisitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    subject = serializers.SerializerMethodField()
    outcome = BlankAsNullChoiceField(choices=VisitOutcome.choices)  # null until the visit is recorded

    class Meta:
        model = Visit
        fields = [
            "id",
            "case_reference",
            "subject",
            "status",
            "planned_for",
            "occurred_at",
            "outcome",
            "next_visit_due",
        ]
        read_only_fields = fields

    def get_subject(self, visit: Visit) -> str:
        return "perpetrator" if visit.victim_id is None else "victim"


class VisitViewSet(LoggedReadOnlyViewSet):
    """Visits on the cases the user sees; visits to victims only for victim-side agencies. Notes
    and safeguarding details stay on the case page."""

    queryset = Visit.objects.none()  # for the schema; get_queryset decides
    serializer_class = VisitSerializer
    lookup_field = "public_id"
    filterset_fields = ["status", "outcome"]
    log_name = "visits"

    def get_queryset(self) -> QuerySet[Visit]:
        return visits_visible_to_user(self.request.user).order_by("-occurred_at", "pk")  # type: ignore[arg-type]

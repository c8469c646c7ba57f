from django.db.models import QuerySet
from rest_framework import serializers

from cases.api import LoggedReadOnlyViewSet
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User

from .models import SafetyMeasure, SafetyPlan


class SafetyMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyMeasure
        fields = ["key", "status", "owner", "due_on"]
        read_only_fields = fields


class SafetyPlanSerializer(serializers.ModelSerializer):
    """Measures and their status; notes and the safe-contact arrangements stay on the pages."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    measures = SafetyMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = ["id", "case_reference", "version", "review_due", "updated_at", "measures"]
        read_only_fields = fields


class SafetyPlanViewSet(LoggedReadOnlyViewSet):
    """Victim-side agencies and the owning force only (`can_view_safety_plan`): a perpetrator-side
    account gets an empty list and 404 for any plan."""

    queryset = SafetyPlan.objects.none()  # for the schema; get_queryset decides
    serializer_class = SafetyPlanSerializer
    lookup_field = "public_id"
    log_name = "safety plans"

    def get_queryset(self) -> QuerySet[SafetyPlan]:
        user: User = self.request.user  # type: ignore[assignment]
        if user.is_perpetrator_side or user.agency_id is None:
            return SafetyPlan.objects.none()
        visible = cases_visible_to(user).values("pk")
        return (
            SafetyPlan.objects.filter(case__in=visible)
            .select_related("case")
            .prefetch_related("measures")
            .order_by("case__reference", "pk")
        )

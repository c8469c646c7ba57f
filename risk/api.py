from django.db.models import QuerySet
from rest_framework import serializers

from cases.api import LoggedReadOnlyViewSet
from cases.models import RiskLevel
from cases.selectors import cases_visible_to
from dacrre.core.api import BlankAsNullChoiceField

from .models import RiskAssessment


class RiskAssessmentSerializer(serializers.ModelSerializer):
    """The level and flags: everyone who sees the case sees these. The answers stay on the pages,
    where the victim-side rule for them applies."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    # null when no professional judgement was recorded (the score's level stood)
    judgement_level = BlankAsNullChoiceField(choices=RiskLevel.choices)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "case_reference",
            "assessed_at",
            "yes_count",
            "score_level",
            "judgement_level",
            "final_level",
            "visible_high_risk",
            "potential_escalation",
            "repeat_marac",
        ]
        read_only_fields = fields


class RiskAssessmentViewSet(LoggedReadOnlyViewSet):
    queryset = RiskAssessment.objects.none()  # for the schema; get_queryset decides
    serializer_class = RiskAssessmentSerializer
    lookup_field = "public_id"
    filterset_fields = ["final_level"]
    log_name = "risk assessments"

    def get_queryset(self) -> QuerySet[RiskAssessment]:
        visible = cases_visible_to(self.request.user).values("pk")  # type: ignore[arg-type]
        return RiskAssessment.objects.filter(case__in=visible).select_related("case").order_by("-assessed_at", "pk")

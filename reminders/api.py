from django.db.models import QuerySet
from rest_framework import serializers

from cases.api import LoggedReadOnlyViewSet

from .models import Reminder
from .selectors import tasks_for


class ReminderSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Reminder
        fields = ["id", "kind", "kind_label", "case_reference", "due_on", "status", "high_risk"]
        read_only_fields = fields


class ReminderViewSet(LoggedReadOnlyViewSet):
    """The signed-in account's open tasks (its own and its agency's shared ones)."""

    queryset = Reminder.objects.none()  # for the schema; get_queryset decides
    serializer_class = ReminderSerializer
    lookup_field = "public_id"
    filterset_fields = ["kind"]
    log_name = "tasks"

    def get_queryset(self) -> QuerySet[Reminder]:
        return tasks_for(self.request.user)  # type: ignore[arg-type]

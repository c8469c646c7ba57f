"""Read-only API over what a user may see: cases, the people in them, visits, risk levels, safety
plans and their own tasks. Every list starts from the same selectors as the pages; nothing here
decides visibility on its own. Victim-confidential fields are not in any serializer."""

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from dacrre.accounts.models import User
from dacrre.audit.access import AccessSubject, Shown, record_access, rows_listed
from dacrre.core.paging import rows_in_order
from people.models import Person

from .models import Case, CaseStatus, RiskLevel
from .selectors import cases_visible_to


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    operation = serializers.CharField(source="operation.name", read_only=True)
    owning_agency = serializers.CharField(source="owning_agency.name", read_only=True)
    area = serializers.CharField(source="area.name", read_only=True)
    perpetrator_id = serializers.UUIDField(source="perpetrator.person.public_id", read_only=True)
    perpetrator_name = serializers.CharField(source="perpetrator.person.full_name", read_only=True)
    spoc = serializers.CharField(source="spoc.get_full_name", read_only=True, allow_null=True)
    offender_manager = serializers.CharField(source="offender_manager.get_full_name", read_only=True, allow_null=True)
    idva = serializers.CharField(source="idva.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "operation",
            "owning_agency",
            "area",
            "status",
            "risk_level",
            "perpetrator_id",
            "perpetrator_name",
            "spoc",
            "offender_manager",
            "idva",
            "next_perpetrator_visit_due",
            "risk_review_due",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    risk_level = filters.ChoiceFilter(choices=RiskLevel.choices)
    reference = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Case
        fields = ["status", "risk_level", "reference"]


class LoggedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and reads through the API are on the access log, as on the pages: a read names the
    record (its kind's `access_subject()`), a list the people its rows show (`shown_in`)."""

    log_name = ""
    lookup_field = "public_id"
    lookup_value_converter = "uuid"  # anything else is 404 at the router, never a query

    def shown_in(self, rows: list[Any]) -> list[Shown]:
        """The people a page of rows names besides their records, for the log; none by default."""
        return []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        rows_listed(request, page=f"API {self.log_name}", detail=f"{len(rows)} listed", shown=self.shown_in(rows))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        own = instance.access_subject() if hasattr(instance, "access_subject") else None
        record_access(
            request,
            AccessSubject(
                object_type=f"API {self.log_name}",
                object_id=kwargs.get("public_id", ""),
                label=own.label if own else "",
                case_reference=own.case_reference if own else "",
                person=own.person if own else None,
            ),
        )
        return Response(self.get_serializer(instance).data)


class CaseViewSet(LoggedReadOnlyViewSet):
    queryset = Case.objects.none()  # for the schema; get_queryset decides
    serializer_class = CaseSerializer
    lookup_field = "public_id"
    filterset_class = CaseFilter
    log_name = "cases"

    def get_queryset(self) -> QuerySet[Case]:
        visible = cases_visible_to(self.request.user).order_by("reference")  # type: ignore[arg-type]
        return self._with_related(visible) if self.action == "retrieve" else visible

    def _with_related(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        return queryset.select_related(
            "operation", "owning_agency", "area", "perpetrator__person", "spoc", "offender_manager", "idva"
        )

    def shown_in(self, rows: list[Any]) -> list[Shown]:
        return [Shown("Perpetrator", case.perpetrator.person, case.reference) for case in rows]

    def paginate_queryset(self, queryset: QuerySet[Case]) -> list[Case] | None:  # type: ignore[override]
        """The page's ids first, then their rows (see dacrre.core.paging)."""
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return None if ids is None else rows_in_order(self._with_related(Case.objects.all()), list(ids))


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "roles"]
        read_only_fields = fields

    def get_roles(self, person: Person) -> list[str]:
        return [role for role in ("perpetrator", "victim", "child") if getattr(person, f"is_{role}", False)]


class PersonViewSet(LoggedReadOnlyViewSet):
    """The perpetrators, victims and children of the cases the user sees: names and roles only."""

    queryset = Person.objects.none()  # for the schema; get_queryset decides
    serializer_class = PersonSerializer
    lookup_field = "public_id"
    log_name = "people"

    def shown_in(self, rows: list[Any]) -> list[Shown]:
        return [Shown("Person", person) for person in rows]

    def get_queryset(self) -> QuerySet[Person]:
        user: User = self.request.user  # type: ignore[assignment]
        visible = cases_visible_to(user).values("pk")
        in_cases = (
            Q(perpetrator__cases__in=visible)
            | Q(victim__case_links__case__in=visible)
            | Q(child__case_links__case__in=visible)
        )
        return (
            Person.objects.filter(pk__in=Person.objects.filter(in_cases).values("pk"))
            .annotate(
                # The roles are one-to-one records of the person (perpetrators and victims apps).
                is_perpetrator=ExpressionWrapper(Q(perpetrator__isnull=False), output_field=BooleanField()),
                is_victim=ExpressionWrapper(Q(victim__isnull=False), output_field=BooleanField()),
                is_child=ExpressionWrapper(Q(child__isnull=False), output_field=BooleanField()),
            )
            .order_by("family_name", "given_name", "pk")
        )

"""REST API for partner systems: an agency account lists its referrals, reads one, accepts, declines
or completes it and adds updates. The same selectors and services as the pages decide everything."""

import uuid
from collections.abc import Callable
from typing import cast

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dacrre.accounts.models import User
from dacrre.audit.access import record_access, rows_listed
from dacrre.core.exceptions import PermissionDeniedError

from . import services
from .models import Referral, ReferralStatus, ReferralUpdate
from .rules import can_add_referral_update, can_complete_referral, can_respond_to_referral
from .selectors import referral_get_for, referrals_visible_to


class ReferralUpdateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    author = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = ReferralUpdate
        fields = ["id", "agency", "author", "text", "created_at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    subject_name = serializers.CharField(source="subject_person.full_name", read_only=True)
    from_agency = serializers.CharField(source="from_agency.name", read_only=True)
    to_agency = serializers.CharField(source="recipient_name", read_only=True)
    shares_victim_contact = serializers.BooleanField(read_only=True)
    updates = ReferralUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "case_reference",
            "subject_name",
            "subject_role",
            "from_agency",
            "to_agency",
            "reason",
            "urgency",
            "shares_victim_contact",
            "consent",
            "status",
            "sent_at",
            "response_due_on",
            "responded_at",
            "decline_reason",
            "completed_at",
            "outcome",
            "updates",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)


class UpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ReferralFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ReferralStatus.choices)

    class Meta:
        model = Referral
        fields = ["status"]


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    lookup_field = "public_id"
    lookup_value_converter = "uuid"  # anything else is 404 at the router, never a query
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Referral]:
        return (
            referrals_visible_to(self._user())
            .select_related("case", "subject_person", "from_agency", "to_agency")
            .prefetch_related("updates__agency", "updates__author")
            .order_by("-created_at")
        )

    def _user(self) -> User:
        # IsAuthenticated (the default permission) has let only signed-in users this far.
        return cast(User, self.request.user)

    def _referral(self) -> Referral:
        return referral_get_for(self._user(), self.kwargs["id"])

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().list(request, *args, **kwargs)
        rows_listed(request, page="referral api", detail=f"query {request.query_params.urlencode()}")
        return response

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        referral = self._referral()
        record_access(request, referral, what="API")
        services.referral_mark_opened(actor=self._user(), referral=referral)
        return Response(ReferralSerializer(referral).data)

    def _require(self, rule: Callable[[User, Referral], bool], referral: Referral, refusal: str) -> None:
        """Then the rule, before the body is read: an agency that may not act is told so (403)."""
        if not rule(self._user(), referral):
            raise PermissionDeniedError(refusal)

    def _respond(self, referral: Referral) -> Response:
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, id: uuid.UUID, **kwargs: object) -> Response:
        return self._respond(services.referral_accept(actor=self._user(), referral=self._referral(), request=request))

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, id: uuid.UUID, **kwargs: object) -> Response:
        referral = self._referral()  # visibility first: a hidden referral is 404 whatever the body
        self._require(can_respond_to_referral, referral, "Only the agency the referral was sent to can decline it.")
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_decline(
            actor=self._user(), referral=referral, reason=body.validated_data["reason"]
        )
        return self._respond(referral)

    @extend_schema(request=OutcomeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, id: uuid.UUID, **kwargs: object) -> Response:
        referral = self._referral()  # visibility first: a hidden referral is 404 whatever the body
        self._require(can_complete_referral, referral, "Only the agency the referral was sent to can complete it.")
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_complete(
            actor=self._user(), referral=referral, outcome=body.validated_data["outcome"]
        )
        return self._respond(referral)

    @extend_schema(request=UpdateSerializer, responses={201: ReferralUpdateSerializer})
    @action(detail=True, methods=["post"])
    def updates(self, request: Request, id: uuid.UUID, **kwargs: object) -> Response:
        referral = self._referral()  # visibility first: a hidden referral is 404 whatever the body
        self._require(can_add_referral_update, referral, "Only the two agencies of a referral can add updates to it.")
        body = UpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = services.referral_add_update(actor=self._user(), referral=referral, text=body.validated_data["text"])
        return Response(ReferralUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

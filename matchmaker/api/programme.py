"""REST API v1 for the programme's tools (/api/v1/programme/…), with the web pages'
permissions: the office (staff) manages tools and decides; a firm claims lists, confirms
terms and entitlements; an institution enrols products, closes deals and claims. Every
queryset is scoped by the programme's selectors, so another tenant's object is a 404."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from investors.selectors import institution_of, offerings_visible_to
from matchmaker.api.permissions import (
    IsFirmMember,
    IsFirmOrInstitutionMember,
    IsInstitutionMember,
)
from matchmaker.api.throttling import SharedRateThrottle
from matchmaker.programme import selectors, services
from matchmaker.programme import serializers as api
from matchmaker.programme.models import ObjectionState
from matchmaker.review.selectors import matches_of_institution_member
from projects.selectors import firm_of


class StaffOr:
    """Staff for every action, else `others` for the actions in `member_actions`."""

    member_actions: dict[str, type] = {}

    def get_permissions(self):
        member = self.member_actions.get(self.action)
        if member is not None and not self.request.user.is_staff:
            return [IsAuthenticated(), member()]
        return [IsAdminUser()]


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and reads what `get_queryset` scopes to the user (ids are integers)."""

    lookup_value_converter = "int"


class ReadCreateViewSet(mixins.CreateModelMixin, ReadViewSet):
    """The same, and creates."""


class ToolViewSet(mixins.UpdateModelMixin, ReadCreateViewSet):
    """The programme's tools: every signed-in member reads them; the office edits."""

    serializer_class = api.ToolSerializer

    def get_queryset(self):
        return selectors.all_tools()

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [IsAuthenticated()]
        return [IsAdminUser()]

    def perform_create(self, serializer):
        serializer.instance = services.tool_create(
            data=serializer.validated_data, by=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.tool_update(
            tool=serializer.instance, data=serializer.validated_data, by=self.request.user
        )

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=False)],
        responses=api.FiguresSerializer,
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAdminUser])
    def figures(self, request, pk=None):
        """Budget committed / published / paid / left, financing closed and per yuan."""
        try:
            year = int(request.query_params.get("year", timezone.localdate().year))
        except ValueError:
            year = timezone.localdate().year
        figures = selectors.tool_year_figures(self.get_object(), year)
        return Response(api.FiguresSerializer(figures).data)


class MembershipViewSet(StaffOr, ReadCreateViewSet):
    serializer_class = api.MembershipSerializer
    member_actions = {"list": IsFirmMember, "retrieve": IsFirmMember, "create": IsFirmMember}

    def get_queryset(self):
        return selectors.memberships_visible_to(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        firm = firm_of(self.request.user)
        if firm is None:
            raise PermissionDenied
        serializer.instance = services.membership_claim(
            firm=firm, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=api.DecisionSerializer, responses=api.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return _office_decision(
            request,
            lambda decision: services.membership_decide(
                membership=self.get_object(),
                confirm=decision["approve"],
                reason=decision["reason"],
                by=request.user,
            ),
            api.MembershipSerializer,
        )


def _office_decision(request, decide, serializer_class, request_serializer=None) -> Response:
    """The office's decision on a viewset's object: the posted body validated (a 400 when
    malformed) before `decide(validated_data)` runs the service; the object it returns is
    answered with `serializer_class`."""
    serializer = (request_serializer or api.DecisionSerializer)(data=request.data)
    serializer.is_valid(raise_exception=True)
    return Response(serializer_class(decide(serializer.validated_data)).data)


class EnrolmentViewSet(StaffOr, ReadCreateViewSet):
    serializer_class = api.EnrolmentSerializer
    member_actions = {
        "list": IsInstitutionMember,
        "retrieve": IsInstitutionMember,
        "create": IsInstitutionMember,
        "withdraw": IsInstitutionMember,
    }

    def get_queryset(self):
        return selectors.enrolments_visible_to(self.request.user).order_by("pk")

    def get_serializer(self, *args, **kwargs):
        kwargs["offerings"] = offerings_visible_to(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        if institution_of(self.request.user) is None:
            raise PermissionDenied
        serializer.instance = services.enrolment_request(
            by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=api.DecisionSerializer, responses=api.EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return _office_decision(
            request,
            lambda decision: services.enrolment_decide(
                enrolment=self.get_object(), by=request.user, **decision
            ),
            api.EnrolmentSerializer,
        )

    @extend_schema(request=None, responses=api.EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = services.enrolment_withdraw(enrolment=self.get_object(), by=request.user)
        return Response(api.EnrolmentSerializer(enrolment).data)


class DealViewSet(ReadCreateViewSet):
    """Closed deals: the institution closes a match at the term-sheet stage as won with
    its terms (POST); the firm confirms them, which computes the entitlements."""

    serializer_class = api.DealTermsSerializer

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsInstitutionMember()]
        if self.action == "confirm":
            return [IsAuthenticated(), IsFirmMember()]
        if self.request.user.is_staff:
            return [IsAdminUser()]
        return [IsAuthenticated(), IsFirmOrInstitutionMember()]

    def get_queryset(self):
        return selectors.deals_visible_to(self.request.user).order_by("pk")

    def get_serializer(self, *args, **kwargs):
        kwargs["matches"] = matches_of_institution_member(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        terms = dict(serializer.validated_data)
        match = terms.pop("match")
        serializer.instance = services.deal_close(match=match, terms=terms, by=self.request.user)

    @extend_schema(request=None, responses=api.EntitlementSerializer(many=True))
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        entitlements = services.deal_confirm(deal=self.get_object(), by=request.user)
        return Response(api.EntitlementSerializer(entitlements, many=True).data)


class EntitlementViewSet(StaffOr, ReadViewSet):
    serializer_class = api.EntitlementSerializer
    member_actions = {
        "list": IsFirmOrInstitutionMember,
        "retrieve": IsFirmOrInstitutionMember,
        "confirm": IsFirmMember,
    }

    def get_queryset(self):
        return selectors.entitlements_visible_to(self.request.user).order_by("pk")

    def _answer(self, entitlement):
        return Response(api.EntitlementSerializer(entitlement).data)

    @extend_schema(request=None, responses=api.EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(
            services.entitlement_publish(entitlement=self.get_object(), by=request.user)
        )

    @extend_schema(request=api.ReasonSerializer, responses=api.EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return _office_decision(
            request,
            lambda decision: services.entitlement_refuse(
                entitlement=self.get_object(), by=request.user, **decision
            ),
            api.EntitlementSerializer,
            api.ReasonSerializer,
        )

    @extend_schema(request=None, responses=api.EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(
            services.entitlement_confirm(entitlement=self.get_object(), by=request.user)
        )

    @extend_schema(request=None, responses=api.EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._answer(
            services.entitlement_pay(entitlement=self.get_object(), by=request.user)
        )


class ClaimViewSet(StaffOr, ReadCreateViewSet):
    serializer_class = api.ClaimSerializer
    member_actions = {
        "list": IsInstitutionMember,
        "retrieve": IsInstitutionMember,
        "create": IsInstitutionMember,
    }

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).order_by("pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        deal = get_object_or_404(selectors.deals_visible_to(request.user), pk=data["deal_id"])
        claim = services.claim_report(
            deal=deal,
            outstanding=data["outstanding"],
            recoveries=data.get("recoveries", 0),
            by=request.user,
        )
        return Response(api.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=api.DecisionSerializer, responses=api.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return _office_decision(
            request,
            lambda decision: services.claim_decide(
                claim=self.get_object(), by=request.user, **decision
            ),
            api.ClaimSerializer,
        )


class ObjectionThrottle(SharedRateThrottle):
    """Objections one client (an address, or a signed-in user) may lodge in an hour: the
    same bound as the web form's."""

    scope = "programme_objection"
    rate = f"{services.OBJECTIONS_PER_HOUR}/hour"

    def get_cache_key(self, request, view):
        if getattr(view, "action", None) != "object":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The draft list open for public objection (公示), no credentials needed: only the
    tool, the firm's name, the amount and the last day for objections. POST
    `{id}/object/` lodges an objection against one entry while its window is open."""

    lookup_value_converter = "int"
    serializer_class = api.PublicEntrySerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, ObjectionThrottle]

    def get_queryset(self):
        if self.action == "object":
            return selectors.ever_published().order_by("pk")
        return selectors.public_draft_list()

    @extend_schema(
        request=api.ObjectionLodgeSerializer, responses={201: api.ObjectionReceiptSerializer}
    )
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        serializer = api.ObjectionLodgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_lodge(
            entitlement=self.get_object(), by=None, **serializer.validated_data
        )
        return Response(
            api.ObjectionReceiptSerializer(objection).data, status=status.HTTP_201_CREATED
        )


class ObjectionFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ObjectionState.values, required=False)


class ObjectionViewSet(
    StaffOr, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Objections to the public draft list: the office sees them all (with the objector's
    contact) and resolves each; a firm's member sees those against the firm's own
    entitlements, without who objected."""

    lookup_value_converter = "int"
    member_actions = {"list": IsFirmMember, "retrieve": IsFirmMember}

    def get_queryset(self):
        objections = selectors.objections_visible_to(self.request.user)
        if self.action == "list":
            query = ObjectionFilterSerializer(data=self.request.query_params.dict())
            query.is_valid(raise_exception=True)  # an unknown state is a 400, not all
            if "state" in query.validated_data:
                objections = objections.filter(state=query.validated_data["state"])
        return objections

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, required=False, enum=ObjectionState.values)
        ]
    )
    def list(self, request, *args, **kwargs):
        """`?state=open` lists only the objections still to resolve."""
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.request.user.is_staff:
            return api.ObjectionSerializer
        return api.FirmObjectionSerializer

    @extend_schema(request=api.ObjectionResolutionSerializer, responses=api.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        serializer = api.ObjectionResolutionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_resolve(
            objection=self.get_object(), by=request.user, **serializer.validated_data
        )
        return Response(api.ObjectionSerializer(objection).data)


class StandingView(APIView):
    """The office records or clears a firm's serious bad-credit record (staff only)."""

    permission_classes = [IsAdminUser]

    @extend_schema(request=api.StandingSerializer, responses=api.StandingSerializer)
    def post(self, request):
        serializer = api.StandingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.standing_set(by=request.user, **serializer.validated_data)
        return Response(serializer.data)

"""API of the webhooks room: endpoints (`/api/v1/webhooks/endpoints/`), the delivery log
(`/api/v1/webhooks/deliveries/`) and the event types. Another organisation's endpoint or
delivery is a 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from matchmaker.accounts.membership import organization_of
from matchmaker.api.pagination import Pages
from matchmaker.api.permissions import IsFirmOrInstitutionMember
from matchmaker.webhooks import selectors, services
from matchmaker.webhooks import serializers as hooks
from matchmaker.webhooks.events import event_types_for
from matchmaker.webhooks.models import Delivery, Endpoint


class EndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's webhook endpoints. The secret is in the answer to create and to
    rotate-secret only."""

    lookup_value_converter = "int"
    queryset = Endpoint.objects.none()
    serializer_class = hooks.EndpointSerializer
    permission_classes = [IsFirmOrInstitutionMember]
    pagination_class = Pages
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.endpoints_of(self.request.user).order_by("created_at", "id")

    def get_serializer_context(self):
        organization = organization_of(self.request.user)
        return {
            **super().get_serializer_context(),
            "organization_kind": organization.kind if organization else "",
        }

    @extend_schema(responses={201: hooks.EndpointWithSecretSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint = services.endpoint_create(
            organization=organization_of(request.user),
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
            by=request.user,
        )
        if data.get("active") is False:
            endpoint = services.endpoint_pause(
                endpoint=endpoint, reason=str(_("Paused by its owner.")), by=request.user
            )
        return Response(
            hooks.EndpointWithSecretSerializer(
                endpoint, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_update(self, serializer):
        serializer.instance = services.endpoint_update(
            endpoint=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.endpoint_delete(endpoint=instance, by=self.request.user)

    @extend_schema(request=None, responses={200: hooks.EndpointWithSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret, shown in this answer only; deliveries are signed with it from now."""
        endpoint = services.endpoint_rotate_secret(endpoint=self.get_object(), by=request.user)
        return Response(
            hooks.EndpointWithSecretSerializer(endpoint, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses={202: hooks.DeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Send a signed test event (type `ping`) to this endpoint now."""
        delivery = services.endpoint_ping(endpoint=self.get_object(), by=request.user)
        delivery = selectors.deliveries_of(request.user).get(pk=delivery.pk)
        return Response(hooks.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The organisation's delivery log, newest first, each with its attempts; replay sends
    the same event (same id and body) again."""

    lookup_value_converter = "int"
    queryset = Delivery.objects.none()
    serializer_class = hooks.DeliverySerializer
    permission_classes = [IsFirmOrInstitutionMember]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        deliveries = selectors.deliveries_of(self.request.user)
        if self.action != "list":
            return deliveries
        # A plain dict, so an empty value is refused rather than read as left out.
        query = hooks.DeliveryFilterSerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        if "state" in wanted:
            deliveries = deliveries.filter(state=wanted["state"])
        if "endpoint" in wanted:
            deliveries = deliveries.filter(endpoint_id=wanted["endpoint"])
        if "event_type" in wanted:
            deliveries = deliveries.filter(event__type=wanted["event_type"])
        return deliveries

    @extend_schema(parameters=[hooks.DeliveryFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={202: hooks.DeliverySerializer})
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = services.delivery_replay(delivery=self.get_object(), by=request.user)
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(hooks.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class EventTypesView(APIView):
    """The events this organisation may subscribe to."""

    permission_classes = [IsFirmOrInstitutionMember]

    @extend_schema(responses={200: hooks.EventTypeSerializer(many=True)})
    def get(self, request):
        kind = organization_of(request.user).kind
        rows = [{"code": t.code, "label": str(t.label)} for t in event_types_for(kind)]
        return Response(hooks.EventTypeSerializer(rows, many=True).data)

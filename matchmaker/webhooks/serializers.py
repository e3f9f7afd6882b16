"""API shapes of endpoints and the delivery log. Event types travel as plain strings (not
an enum in the schema), so a client generated today keeps working when an area adds one."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from matchmaker.vocabulary import (
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    plain_text_serializer_field,
)
from matchmaker.webhooks.events import event_types_for
from matchmaker.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Endpoint
from matchmaker.webhooks.targets import TargetRefused, check_target


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A bank's credit workflow",
            value={
                "url": "https://credit.bank.example/hooks/matchmaker",
                "events": ["match.created", "introduction.accepted"],
                "description": "Credit workflow",
            },
            request_only=True,
        )
    ]
)
class EndpointSerializer(serializers.ModelSerializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=StrictCharField(max_length=64),
        allow_empty=False,
        max_length=50,
        help_text="Event type codes (GET /api/v1/webhooks/event-types/ lists them).",
    )
    description = plain_text_serializer_field(max_length=200, required=False, default="")
    active = StrictBooleanField(
        required=False, help_text="false pauses deliveries; true resumes and sends what waited."
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "events",
            "description",
            "active",
            "status",
            "paused_reason",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = ["id", "status", "paused_reason", "consecutive_failures", "created_at"]

    def validate_url(self, url: str) -> str:
        try:
            check_target(url)
        except TargetRefused as refusal:
            raise serializers.ValidationError(str(refusal)) from refusal
        return url

    def validate_events(self, events: list[str]) -> list[str]:
        kind = self.context["organization_kind"]
        known = {event_type.code for event_type in event_types_for(kind)}
        unknown = sorted(set(events) - known)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown events: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return events


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown only in this answer: keep it to verify signatures."
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*EndpointSerializer.Meta.read_only_fields, "secret"]


class DeliveryFilterSerializer(serializers.Serializer):
    """The delivery log's filters (query parameters); a wrong value is a 400."""

    state = serializers.ChoiceField(choices=DeliveryState.choices, required=False)
    endpoint = serializers.IntegerField(required=False, min_value=1)
    event_type = serializers.CharField(required=False, max_length=64)


class EventTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "status_code", "error", "duration_ms"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    endpoint_id = StrictIntegerField(read_only=True)
    event_id = serializers.UUIDField(read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    event_created_at = serializers.DateTimeField(source="event.created_at", read_only=True)
    payload = serializers.JSONField(source="event.payload", read_only=True)
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint_id",
            "event_id",
            "event_type",
            "event_created_at",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "payload",
            "attempt_log",
        ]
        read_only_fields = fields

"""The offering as the API shows and accepts it; the same rules as the web form.

Serializers validate only; the API view hands the validated data to `services`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchmaker.vocabulary import (
    AmountField,
    Collateral,
    Country,
    Criterion,
    Exposure,
    Province,
    Region,
    Segment,
    Stage,
    StrictBooleanField,
    StrictFloatField,
    StrictModelSerializer,
    code_list_serializer_field,
)

from .models import OFFERING_EDITABLE_FIELDS, Offering, OfferingStatus
from .rules import offering_problems


class OfferingSerializer(StrictModelSerializer):
    capacity = AmountField(source="capacity_total")
    capacity_left = AmountField(minimum=0, required=False)
    ticket_min = AmountField()
    ticket_max = AmountField()
    segments = code_list_serializer_field(Segment)
    stages = code_list_serializer_field(Stage)
    exposures_covered = code_list_serializer_field(Exposure)
    regions = code_list_serializer_field(Region)
    presence = code_list_serializer_field(Province)
    content = code_list_serializer_field(Province)
    countries = code_list_serializer_field(Country)
    content_countries = code_list_serializer_field(Country)
    home_content = StrictBooleanField(
        required=False,
        default=False,
        help_text=_(
            "True: the country mandate covers where the financed work happens too (work at "
            "home). Optional; false, the default, screens the registration only."
        ),
    )
    preferred_ticket = AmountField(required=False, allow_null=True)
    collateral_required = code_list_serializer_field(Collateral)
    weights = serializers.DictField(
        child=StrictFloatField(min_value=0, max_value=10), required=False
    )
    active = StrictBooleanField(
        required=False, default=True, help_text=_("False pauses the offering; true activates it.")
    )

    class Meta:
        model = Offering
        fields = [
            "id",
            "name",
            "description",
            "instrument",
            "product_type",
            "ticket_min",
            "ticket_max",
            "capacity",
            "capacity_left",
            "max_tenor_months",
            "segments",
            "stages",
            "trl_min",
            "trl_max",
            "preferred_stage",
            "preferred_trl",
            "preferred_ticket",
            "min_flight_record",
            "min_revenue_status",
            "round_role",
            "risk_appetite",
            "exposures_covered",
            "line_share",
            "regions",
            "presence",
            "content",
            "countries",
            "content_countries",
            "home_content",
            "collateral_required",
            "pricing_note",
            "active_from",
            "active_until",
            "weights",
            "active",
            "status",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "revision", "created_at", "updated_at"]

    def to_representation(self, instance: Offering) -> dict:
        data = super().to_representation(instance)
        data["active"] = instance.status == OfferingStatus.ACTIVE
        return data

    def validate_weights(self, weights: dict) -> dict:
        unknown = sorted(set(weights) - set(Criterion.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown criterion: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return weights

    def validate(self, attrs: dict) -> dict:
        current = self.instance or Offering()  # a new offering starts from the defaults
        stored = {name: getattr(current, name) for name in OFFERING_EDITABLE_FIELDS}
        errors = offering_problems({**stored, **attrs})
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def service_arguments(self) -> dict:
        """The validated data as `services.offering_create` / `offering_update` take it;
        on update, ``active`` counts only when the client sent it."""
        fields = dict(self.validated_data)
        active = fields.pop("active", True)
        if self.instance is not None and "active" not in self.initial_data:
            active = None
        return {"fields": fields, "active": active}

"""The offering as the API shows and accepts it; the same rules as the web form."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchmaker.vocabulary import (
    Collateral,
    Criterion,
    Exposure,
    Region,
    Segment,
    Stage,
)

from . import lifecycle
from .forms import MAX_AMOUNT
from .models import Offering, OfferingStatus
from .rules import offering_problems


def code_list(choices) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices.choices),
        required=False,
        max_length=len(choices),
    )


class OfferingSerializer(serializers.ModelSerializer):
    capacity = serializers.IntegerField(source="capacity_total", min_value=1, max_value=MAX_AMOUNT)
    capacity_left = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT, required=False)
    ticket_min = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)
    ticket_max = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)
    segments = code_list(Segment)
    stages = code_list(Stage)
    exposures_covered = code_list(Exposure)
    regions = code_list(Region)
    collateral_required = code_list(Collateral)
    weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=10), required=False
    )
    active = serializers.BooleanField(
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
            "risk_appetite",
            "exposures_covered",
            "regions",
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
        current = (
            {
                name: getattr(self.instance, name)
                for name in (
                    "ticket_min",
                    "ticket_max",
                    "trl_min",
                    "trl_max",
                    "capacity_total",
                    "capacity_left",
                    "active_from",
                    "active_until",
                    "product_type",
                    "instrument",
                )
            }
            if self.instance is not None
            else {}
        )
        if self.instance is None and "capacity_left" not in attrs:
            attrs["capacity_left"] = attrs.get("capacity_total")
        errors = offering_problems({**current, **attrs})
        for name in ("segments", "stages", "exposures_covered", "regions", "collateral_required"):
            if name in attrs and len(set(attrs[name])) != len(attrs[name]):
                errors[name] = _("Each code may appear only once.")
        if self.instance is not None and self.instance.status == OfferingStatus.CLOSED:
            errors["status"] = _("A closed offering can no longer be changed.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict) -> Offering:
        active = validated_data.pop("active", True)
        validated_data["status"] = OfferingStatus.ACTIVE if active else OfferingStatus.PAUSED
        offering = Offering.objects.create(**validated_data)
        lifecycle.record_change(offering)
        return offering

    @transaction.atomic
    def update(self, instance: Offering, validated_data: dict) -> Offering:
        active = validated_data.pop("active", None) if "active" in self.initial_data else None
        validated_data.pop("active", None)
        offering = super().update(instance, validated_data)
        target = OfferingStatus.ACTIVE if active else OfferingStatus.PAUSED
        if active is not None and offering.status != target and lifecycle.move(offering, target):
            offering.refresh_from_db()  # move() recorded the change
        else:
            lifecycle.record_change(offering)
        return offering

"""The project as the API shows and accepts it; the same rules as the web form."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchmaker.vocabulary import Collateral, Exposure, Instrument

from . import lifecycle
from .forms import MAX_AMOUNT
from .models import Document, Milestone, Project
from .rules import break_even_problem, collateral_problem


def code_list(choices, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices.choices),
        required=False,
        max_length=len(choices),
        **kwargs,
    )


def no_repeats(values: list) -> list:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(_("Each code may appear only once."))
    return values


class NeedSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "size", "uploaded_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    needs = NeedSerializer(many=True, required=False)
    milestones = MilestoneSerializer(many=True, required=False, max_length=30)
    exposures = code_list(Exposure)
    collateral = code_list(Collateral)
    documents = DocumentSerializer(many=True, read_only=True)
    prior_funding = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT, required=False)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "summary",
            "segment",
            "stage",
            "trl",
            "needs",
            "months_to_revenue",
            "months_to_break_even",
            "exposures",
            "collateral",
            "city",
            "region",
            "prior_funding",
            "milestones",
            "documents",
            "status",
            "revision",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = ["status", "revision", "created_at", "updated_at", "submitted_at"]

    def validate_needs(self, needs: list[dict]) -> list[dict]:
        """Needs are replaced as a whole, so each needs both fields even in a PATCH."""
        if any("instrument" not in need or "amount" not in need for need in needs):
            raise serializers.ValidationError(_("Each need has an instrument and an amount."))
        instruments = [need["instrument"] for need in needs]
        if len(set(instruments)) != len(instruments):
            raise serializers.ValidationError(_("Give each instrument at most once."))
        return needs

    def validate_milestones(self, milestones: list[dict]) -> list[dict]:
        """Milestones are replaced as a whole, so each needs both fields even in a PATCH."""
        for milestone in milestones:
            missing = [name for name in ("title", "due_date") if name not in milestone]
            if missing:
                raise serializers.ValidationError(
                    _("Each milestone needs a title and a date; missing: %(fields)s.")
                    % {"fields": ", ".join(missing)}
                )
        return milestones

    def validate_exposures(self, codes: list[str]) -> list[str]:
        return no_repeats(codes)

    def validate_collateral(self, codes: list[str]) -> list[str]:
        codes = no_repeats(codes)
        problem = collateral_problem(codes)
        if problem:
            raise serializers.ValidationError(problem)
        return codes

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
        revenue = attrs.get("months_to_revenue", instance.months_to_revenue if instance else 0)
        break_even = attrs.get(
            "months_to_break_even", instance.months_to_break_even if instance else 0
        )
        problem = break_even_problem(revenue, break_even)
        if problem:
            raise serializers.ValidationError({"months_to_break_even": problem})
        if instance is not None and not instance.is_editable:
            raise serializers.ValidationError(
                _("A withdrawn or funded project can no longer be edited.")
            )
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict) -> Project:
        needs = validated_data.pop("needs", [])
        milestones = validated_data.pop("milestones", [])
        project = Project.objects.create(**validated_data)
        self._save_related(project, needs, milestones)
        return project

    @transaction.atomic
    def update(self, instance: Project, validated_data: dict) -> Project:
        needs = validated_data.pop("needs", None)
        milestones = validated_data.pop("milestones", None)
        project = super().update(instance, validated_data)
        self._save_related(project, needs, milestones)
        lifecycle.record_revision(project)
        return project

    @staticmethod
    def _save_related(project: Project, needs: list | None, milestones: list | None) -> None:
        if needs is not None:
            amounts = dict.fromkeys(Instrument.values)
            amounts.update({need["instrument"]: need["amount"] for need in needs})
            lifecycle.set_needs(project, amounts)
        if milestones is not None:
            project.milestones.all().delete()
            Milestone.objects.bulk_create(Milestone(project=project, **item) for item in milestones)

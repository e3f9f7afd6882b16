"""The project as the API shows and accepts it; the same rules as the web form.

Serializers validate only; the API view hands the validated data to `services`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchmaker.vocabulary import (
    AmountField,
    Collateral,
    Exposure,
    Instrument,
    StrictModelSerializer,
    code_list_serializer_field,
)

from .models import Document, Milestone, Project
from .rules import (
    STATUS_FIELDS,
    break_even_problem,
    collateral_problem,
    flights_for,
    implausible_amounts,
    milestone_count_problem,
    milestone_date_problem,
    place_as_meant,
    status_problems,
)
from .services import needs_by_instrument


class NeedSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    amount = AmountField()


class MilestoneSerializer(StrictModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]


class DocumentSerializer(StrictModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "size", "uploaded_at"]
        read_only_fields = fields


class ProjectSerializer(StrictModelSerializer):
    needs = NeedSerializer(many=True, required=False)
    milestones = MilestoneSerializer(many=True, required=False)
    exposures = code_list_serializer_field(Exposure)
    collateral = code_list_serializer_field(Collateral)
    documents = DocumentSerializer(many=True, read_only=True)
    prior_funding = AmountField(minimum=0, required=False)
    warnings = serializers.SerializerMethodField(
        help_text=_("Amounts saved but worth a second look (a digit too many?).")
    )
    last_year_revenue = AmountField(minimum=0, required=False)

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
            "flight_record",
            "successful_flights",
            "revenue_status",
            "last_year_revenue",
            "province",
            "city",
            "region",
            "registered_province",
            "country",
            "registered_country",
            "prior_funding",
            "round_role",
            "milestones",
            "documents",
            "status",
            "revision",
            "created_at",
            "updated_at",
            "submitted_at",
            "warnings",
        ]
        read_only_fields = ["status", "revision", "created_at", "updated_at", "submitted_at"]

    def get_warnings(self, project: Project) -> list[str]:
        """The web form's "check the number of digits" warnings, in the reader's language."""
        return implausible_amounts(
            trl=project.trl,
            prior_funding=project.prior_funding,
            needs={need.instrument: need.amount for need in project.needs.all()},
        )

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
        too_many = milestone_count_problem(len(milestones))
        if too_many:
            raise serializers.ValidationError(too_many)
        for milestone in milestones:
            missing = [name for name in ("title", "due_date") if name not in milestone]
            if missing:
                raise serializers.ValidationError(
                    _("Each milestone needs a title and a date; missing: %(fields)s.")
                    % {"fields": ", ".join(missing)}
                )
        kept = (
            {(m.title, m.due_date) for m in self.instance.milestones.all()}
            if self.instance
            else set()
        )
        for milestone in milestones:
            if (milestone["title"], milestone["due_date"]) in kept:
                continue
            problem = milestone_date_problem(milestone["due_date"], timezone.localdate())
            if problem:
                raise serializers.ValidationError(problem)
        return milestones

    def validate_collateral(self, codes: list[str]) -> list[str]:
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
        if "flight_record" in attrs or "successful_flights" in attrs:
            record = attrs.get("flight_record", getattr(instance, "flight_record", None))
            attrs["successful_flights"] = flights_for(
                record,
                attrs.get("successful_flights", getattr(instance, "successful_flights", 0)),
            )
        current = instance or Project()  # a new project starts from the model's defaults
        attrs.update(place_as_meant(attrs, current))
        merged = {field: getattr(current, field) for field in STATUS_FIELDS}
        merged.update({field: attrs[field] for field in STATUS_FIELDS if field in attrs})
        problems = status_problems(merged)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs

    def service_arguments(self) -> dict:
        """The validated data as `services.project_create` / `project_update` take it."""
        data = dict(self.validated_data)
        needs = data.pop("needs", None)
        milestones = data.pop("milestones", None)
        return {
            "fields": data,
            "needs": needs_by_instrument(needs=needs) if needs is not None else None,
            "milestones": milestones,
        }

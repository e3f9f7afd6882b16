"""The programme's API serializers: they validate with `rules` (as the forms do), so bad
figures are a 400 before any service runs; services write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchmaker.models import Match
from matchmaker.programme import rules
from matchmaker.programme.models import (
    BASIS_POINTS,
    DEAL_TERMS_FIELDS,
    TOOL_EDITABLE_FIELDS,
    Claim,
    DealTerms,
    Enrolment,
    Entitlement,
    Exclusion,
    FirmListMembership,
    Objection,
    ProgrammeList,
    RequiredDocument,
    Tool,
)
from matchmaker.vocabulary import (
    Segment,
    StrictBooleanField,
    plain_text_serializer_field,
)
from projects.models import Firm

RATE = {"min_value": 0, "max_value": BASIS_POINTS}
MONEY = {"min_value": 0}


class ToolSerializer(serializers.ModelSerializer):
    rate_bp = serializers.IntegerField(**RATE)
    rate_ceiling_bp = serializers.IntegerField(required=False, allow_null=True, **RATE)
    loss_band_low_bp = serializers.IntegerField(required=False, allow_null=True, **RATE)
    loss_band_high_bp = serializers.IntegerField(required=False, allow_null=True, **RATE)
    cap_per_deal = serializers.IntegerField(required=False, allow_null=True, **MONEY)
    cap_per_unit = serializers.IntegerField(required=False, allow_null=True, **MONEY)
    cap_per_firm_year = serializers.IntegerField(required=False, allow_null=True, **MONEY)
    yearly_budget = serializers.IntegerField(**MONEY)
    eligible_segments = serializers.ListField(
        child=serializers.ChoiceField(choices=Segment.choices), required=False
    )
    required_lists = serializers.ListField(
        child=serializers.ChoiceField(choices=ProgrammeList.choices), required=False
    )
    exclusions = serializers.ListField(
        child=serializers.ChoiceField(choices=Exclusion.choices), required=False
    )
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Tool
        fields = ["id", "name", *TOOL_EDITABLE_FIELDS]

    def validate(self, attrs):
        merged = {**({} if self.instance is None else vars(self.instance)), **attrs}
        problems = rules.tool_problems(merged)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = FirmListMembership
        fields = ["id", "firm", "programme_list", "evidence", "state", "reason", "claimed_at"]
        read_only_fields = ["firm", "state", "reason", "claimed_at"]


class EnrolmentSerializer(serializers.ModelSerializer):
    covered_trl_min = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=9
    )
    covered_ticket_max = serializers.IntegerField(required=False, allow_null=True, **MONEY)
    indicative_rate_bp = serializers.IntegerField(required=False, allow_null=True, **RATE)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "offering",
            "tool",
            "state",
            "covered_trl_min",
            "covered_pre_revenue",
            "covered_ticket_max",
            "indicative_rate_bp",
            "reason",
            "requested_at",
            "decided_at",
        ]
        read_only_fields = ["state", "reason", "requested_at", "decided_at"]

    def __init__(self, *args, offerings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offerings is not None:
            self.fields["offering"].queryset = offerings


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class DealTermsSerializer(serializers.ModelSerializer):
    amount = serializers.IntegerField(min_value=1)
    rate_bp = serializers.IntegerField(**RATE)
    tenor_months = serializers.IntegerField(min_value=1, max_value=600)
    units = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=RequiredDocument.choices), required=False
    )
    match = serializers.PrimaryKeyRelatedField(queryset=Match.objects.none())

    class Meta:
        model = DealTerms
        fields = ["id", "match", *DEAL_TERMS_FIELDS, "state", "recorded_at", "confirmed_at"]
        read_only_fields = ["state", "recorded_at", "confirmed_at"]

    def __init__(self, *args, matches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = matches if matches is not None else Match.objects.none()

    def validate(self, attrs):
        problems = rules.deal_problems(attrs)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class EntitlementSerializer(serializers.ModelSerializer):
    tool_name = serializers.CharField(source="tool.name", read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "tool",
            "tool_name",
            "deal",
            "year",
            "base",
            "amount",
            "state",
            "limited_by",
            "refusal",
            "objection_until",
            "confirm_by",
            "published_at",
            "confirmed_at",
            "paid_at",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    outstanding = serializers.IntegerField(min_value=1)
    recoveries = serializers.IntegerField(min_value=0, default=0)
    deal = serializers.IntegerField(
        help_text=_("The closed deal (loan) the default is on."), source="deal_id"
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "deal",
            "enrolment",
            "outstanding",
            "recoveries",
            "loss",
            "compensation",
            "state",
            "reason",
            "reported_at",
            "decided_at",
        ]
        read_only_fields = [
            "enrolment",
            "loss",
            "compensation",
            "state",
            "reason",
            "reported_at",
            "decided_at",
        ]

    def validate(self, attrs):
        problems = rules.claim_problems(attrs["outstanding"], attrs.get("recoveries", 0))
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget = serializers.IntegerField()
    committed = serializers.IntegerField()
    published = serializers.IntegerField()
    paid = serializers.IntegerField()
    left = serializers.IntegerField()
    financing = serializers.IntegerField()
    leverage = serializers.FloatField(allow_null=True)
    pipeline = serializers.DictField(child=serializers.IntegerField())


class StandingSerializer(serializers.Serializer):
    firm = serializers.PrimaryKeyRelatedField(queryset=Firm.objects.all())
    bad_credit = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PublicEntrySerializer(serializers.Serializer):
    """One entry of the public draft list: only what a 公示 shows."""

    id = serializers.IntegerField()
    tool_name = serializers.CharField(source="tool.name")
    firm_name = serializers.CharField(source="firm.name")
    amount = serializers.IntegerField()
    objection_until = serializers.DateField()


class ObjectionLodgeSerializer(serializers.Serializer):
    name = plain_text_serializer_field(max_length=100)
    contact = plain_text_serializer_field(max_length=200)
    reason = plain_text_serializer_field(multiline=True, max_length=2000)


class ObjectionReceiptSerializer(serializers.ModelSerializer):
    """What the objector gets back: that it was received, and when."""

    class Meta:
        model = Objection
        fields = ["id", "entitlement", "state", "lodged_at"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    """An objection as the office sees it (with the objector's contact)."""

    tool_name = serializers.CharField(source="entitlement.tool.name", read_only=True)
    firm_name = serializers.CharField(source="entitlement.firm.name", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "entitlement",
            "tool_name",
            "firm_name",
            "name",
            "contact",
            "reason",
            "state",
            "resolution",
            "lodged_at",
            "resolved_at",
            "resolved_by",
        ]
        read_only_fields = fields


class FirmObjectionSerializer(ObjectionSerializer):
    """An objection as the firm objected to sees it: never the objector's contact."""

    class Meta(ObjectionSerializer.Meta):
        fields = [
            f
            for f in ObjectionSerializer.Meta.fields
            if f not in ("name", "contact", "resolved_by")
        ]
        read_only_fields = fields


class ObjectionResolutionSerializer(serializers.Serializer):
    uphold = StrictBooleanField()
    reason = plain_text_serializer_field(max_length=300)

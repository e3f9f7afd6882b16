"""API shapes of accounts, matches and introductions (projects and offerings live in
their own apps' serializers)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from matchmaker.accounts.membership import organization_name_taken
from matchmaker.accounts.rules import institution_type_problem
from matchmaker.api.match_rows import components_payload, revisit_payload
from matchmaker.dealroom.conditions import condition_problem
from matchmaker.dealroom.deadlines import respond_by, window_days
from matchmaker.dealroom.models import RevisitKind
from matchmaker.matching.encoding import covering_enrolments
from matchmaker.matching.explain import syndicate_part
from matchmaker.models import DeclineReason, Introduction, Match, MatchEvent, MatchStatus
from matchmaker.programme.matches import programme_notes
from matchmaker.review.rules import decline_note_problem
from matchmaker.review.selectors import contacts_visible
from matchmaker.vocabulary import (
    InstitutionType,
    OrganizationKind,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictModelSerializer,
    plain_text_serializer_field,
)
from projects.serializers import NeedSerializer


class OrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = plain_text_serializer_field(max_length=200)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    institution_type = serializers.ChoiceField(
        choices=InstitutionType.choices, required=False, allow_blank=True, write_only=True
    )
    verified = StrictBooleanField(read_only=True)

    def validate_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise serializers.ValidationError(_("Give the organisation's name."))
        if organization_name_taken(name):
            raise serializers.ValidationError(
                _("An organisation with this name is already registered.")
            )
        return name

    def validate(self, attrs: dict) -> dict:
        problem = institution_type_problem(attrs["kind"], attrs.get("institution_type", ""))
        if problem:
            raise serializers.ValidationError({"institution_type": problem})
        return attrs


class RegisterSerializer(serializers.Serializer):
    id = StrictIntegerField(read_only=True)
    username = StrictCharField(max_length=150, validators=[RegexValidator(r"^[\w.@+-]+\Z")])
    password = StrictCharField(write_only=True, max_length=128, style={"input_type": "password"})
    email = serializers.EmailField()
    organization = OrganizationSerializer()

    def validate_username(self, username: str) -> str:
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise serializers.ValidationError(_("This username is taken."))
        return username

    def validate(self, attrs: dict) -> dict:
        user = get_user_model()(username=attrs["username"], email=attrs["email"])
        try:
            validate_password(attrs["password"], user)
        except Exception as error:  # Django's ValidationError → DRF field error
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, style={"input_type": "password"})
    otp = StrictCharField(
        max_length=8,
        required=False,
        default="",
        allow_blank=True,
        help_text=(
            "The code from the authenticator app, for a user who signs in with a second "
            "factor (programme office staff, members of an institution that requires it)."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ComponentSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    value = StrictFloatField()
    weight = StrictFloatField()
    reason = serializers.CharField()


class OfferingBriefSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = serializers.CharField()
    instrument = serializers.CharField()


class InstitutionBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    institution_type = serializers.CharField()


class ProjectBriefSerializer(serializers.Serializer):
    """What an institution may see of a project before an introduction."""

    id = StrictIntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    segment = serializers.CharField()
    stage = serializers.CharField()
    trl = StrictIntegerField()
    needs = NeedSerializer(many=True, source="needs.all")
    months_to_revenue = StrictIntegerField()
    months_to_break_even = StrictIntegerField()
    exposures = serializers.ListField(child=serializers.CharField())
    collateral = serializers.ListField(child=serializers.CharField())
    region = serializers.CharField()
    status = serializers.CharField()


class SyndicateSerializer(serializers.Serializer):
    """The part the offering can take of the project's need of its instrument."""

    role = serializers.ChoiceField(
        choices=["sole", "lead", "participant"],
        help_text=(
            "sole: it can carry the whole need; lead: it can lead the round, arrange the "
            "loan or lead the insurers' panel; participant: it can join a syndicate led "
            "by another."
        ),
    )
    amount = StrictIntegerField(help_text="The most it can put in (RMB), at most the need.")
    need = StrictIntegerField(help_text="The project's need of this instrument (RMB).")


class RevisitBodySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RevisitKind.choices)
    trl = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=9, default=None
    )
    on_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        problem = condition_problem(attrs["kind"], attrs["trl"], attrs["on_date"], project=None)
        if problem:
            raise serializers.ValidationError({"kind": problem})
        return attrs


class RevisitSerializer(RevisitBodySerializer):
    words = serializers.CharField(read_only=True)


class ProgrammeNotesSerializer(serializers.Serializer):
    cover = serializers.CharField()
    costs = serializers.ListField(child=serializers.CharField())


class MatchSerializer(StrictModelSerializer):
    offering = OfferingBriefSerializer(read_only=True)
    institution = InstitutionBriefSerializer(source="offering.institution", read_only=True)
    project = ProjectBriefSerializer(read_only=True)
    components = serializers.SerializerMethodField()
    syndicate = serializers.SerializerMethodField()
    revisit = serializers.SerializerMethodField()
    programme = serializers.SerializerMethodField(
        help_text=_(
            "One match's page only (null in lists): the programme tool whose covered terms "
            "decided the pair, the firm's net cost or the financier's covered loss."
        )
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "score",
            "status",
            "eligible",
            "project",
            "offering",
            "institution",
            "components",
            "syndicate",
            "computed_at",
            "revisit",
            "programme",
        ]
        read_only_fields = fields

    @extend_schema_field(SyndicateSerializer)
    def get_syndicate(self, match: Match) -> dict:
        return vars(syndicate_part(match))

    @extend_schema_field(RevisitSerializer(allow_null=True))
    def get_revisit(self, match: Match) -> dict | None:
        return revisit_payload(match)

    @extend_schema_field(ProgrammeNotesSerializer(allow_null=True))
    def get_programme(self, match: Match) -> dict | None:
        audience = self.context.get("programme_audience")
        return programme_notes(match, audience) if audience else None

    @extend_schema_field(ComponentSerializer(many=True))
    def get_components(self, match: Match) -> list[dict]:
        return components_payload(
            match,
            self.context.get("default_weights"),
            self._cover(match),
            self.context.get("explain_memo"),
        )

    def _cover(self, match: Match):
        """The enrolment whose covered terms decide the pair, looked up once for the whole
        page of a list (the page is the parent list serializer's instance)."""
        covers = self.context.setdefault("covering_enrolments", {})
        if match.pk not in covers:
            parent = self.parent
            page = (
                list(parent.instance)
                if isinstance(parent, serializers.ListSerializer) and parent.instance is not None
                else [match]
            )
            covers.update(covering_enrolments(page if match in page else [match]))
        return covers[match.pk]


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = plain_text_serializer_field(
        multiline=True, required=False, allow_blank=True, max_length=1000, default=""
    )
    revisit = RevisitBodySerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text='"Not now": look again when this is met (the firm sees it, not the note).',
    )

    def validate(self, attrs: dict) -> dict:
        problem = decline_note_problem(attrs["reason"], attrs.get("note", ""))
        if problem:
            raise serializers.ValidationError({"note": problem})
        return attrs


class IntroductionAcceptSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        allow_null=True,
        default=None,
        max_length=500,
        help_text="The project's documents the deal room may show; left out: all of them "
        "(as accepting did before deal rooms); [] for none.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "To term sheet", value={"status": "term_sheet", "note": "Terms sent"}, request_only=True
        )
    ]
)
class MoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MatchStatus.choices)
    note = plain_text_serializer_field(
        multiline=True, required=False, allow_blank=True, max_length=1000, default=""
    )

    def validate_status(self, status: str) -> str:
        """A deal closes as won with its terms (the programme checks them against its
        tools), as on the web, where the move asks for the terms first."""
        if status == MatchStatus.CLOSED_WON:
            raise serializers.ValidationError(
                _("Close a deal as won with its terms: POST /api/v1/programme/deals/.")
            )
        return status


class MatchEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="user.username", default="")

    class Meta:
        model = MatchEvent
        fields = ["at", "from_status", "to_status", "by", "note", "undone"]
        read_only_fields = fields


class IntroductionRequestSerializer(serializers.Serializer):
    message = plain_text_serializer_field(multiline=True, max_length=2000)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.EmailField()
    contact_phone = serializers.CharField()


class ContactsSerializer(serializers.Serializer):
    firm = ContactSerializer()
    institution = ContactSerializer()


class IntroductionSerializer(StrictModelSerializer):
    match_id = StrictIntegerField(read_only=True)
    project = serializers.SerializerMethodField()
    institution = InstitutionBriefSerializer(source="match.offering.institution", read_only=True)
    contacts = serializers.SerializerMethodField()
    message = serializers.CharField(
        source="shown_message",
        read_only=True,
        help_text=_("In the reader's language for a package request."),
    )
    respond_by = serializers.SerializerMethodField()
    room = serializers.SerializerMethodField()

    class Meta:
        model = Introduction
        fields = [
            "id",
            "match_id",
            "project",
            "institution",
            "message",
            "state",
            "requested_at",
            "answered_at",
            "contacts",
            "respond_by",
            "room",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_respond_by(self, introduction: Introduction):
        """The last day to answer a request still waiting (the programme's window)."""
        if not introduction.awaiting_answer:
            return None
        if "window" not in self.context:  # one read of the programme's window per request
            self.context["window"] = window_days()
        return respond_by(introduction, self.context["window"])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_room(self, introduction: Introduction) -> int | None:
        room = getattr(introduction, "room", None) if introduction.accepted else None
        return room.pk if room else None

    @extend_schema_field(serializers.DictField())
    def get_project(self, introduction: Introduction) -> dict:
        return {"id": introduction.match.project_id, "title": introduction.match.project.title}

    @extend_schema_field(ContactsSerializer(allow_null=True))
    def get_contacts(self, introduction: Introduction) -> dict | None:
        if not contacts_visible(introduction.match):
            return None
        fields = ("name", "contact_name", "contact_email", "contact_phone")
        firm, institution = introduction.match.project.firm, introduction.match.offering.institution
        return {
            "firm": {name: getattr(firm, name) for name in fields},
            "institution": {name: getattr(institution, name) for name in fields},
        }


class PackageMemberSerializer(serializers.Serializer):
    match_id = StrictIntegerField()
    offering_id = StrictIntegerField(source="match.offering_id")
    institution_id = serializers.UUIDField(source="match.offering.institution_id")
    instrument = serializers.CharField()
    amount = StrictIntegerField()
    reason = serializers.CharField()


class PackageAskSerializer(serializers.Serializer):
    asked = StrictIntegerField(help_text="How many institutions were asked.")


class PackageSerializer(serializers.Serializer):
    rank = StrictIntegerField()
    score = StrictFloatField()
    coverage = serializers.DictField(child=StrictFloatField())
    uncovered = serializers.DictField(child=StrictIntegerField())
    members = PackageMemberSerializer(many=True, source="members.all")

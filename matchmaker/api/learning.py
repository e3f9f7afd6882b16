"""REST API v1: what an offering's decisions taught (see it, turn it off or on) and the
suggestions drawn from them (accept or dismiss), as on the offering's page and the
pipeline. Actions of the offering viewset, so another institution's offering is a 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from investors.selectors import offerings_visible_to
from matchmaker.models import SuggestionKind
from matchmaker.review import learning, suggestions
from matchmaker.review.selectors import learned_weights_of
from matchmaker.vocabulary import StateConflict, StrictBooleanField, StrictIntegerField


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SuggestionKind.choices)
    value = StrictIntegerField()
    text = serializers.CharField(read_only=True)
    agreeing = StrictIntegerField(read_only=True)
    decided = StrictIntegerField(read_only=True)
    supporting = StrictIntegerField(read_only=True)
    change = serializers.DictField(read_only=True, help_text="The offering fields it sets.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Require TRL 7", value={"kind": "require_trl", "value": 7}, request_only=True
        )
    ]
)
class SuggestionAnswerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SuggestionKind.choices)
    value = StrictIntegerField()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Score with the offering's own weights", value={"active": False}, request_only=True
        )
    ]
)
class LearningSerializer(serializers.Serializer):
    active = StrictBooleanField(help_text="false scores the offering with its own weights.")
    decisions = StrictIntegerField(read_only=True)
    multipliers = serializers.DictField(child=serializers.FloatField(), read_only=True)
    preferred_trl = StrictIntegerField(read_only=True, allow_null=True)
    preferred_stage = serializers.CharField(read_only=True)
    words = serializers.CharField(read_only=True)
    suggestions = SuggestionSerializer(many=True, read_only=True)


class OfferingLearningActions:
    """Mixed into the offering viewset (`self.get_object()` scopes to the institution)."""

    def _learning_body(self, offering) -> dict:
        learned = learned_weights_of(self.request.user).filter(offering=offering).first()
        return {
            "active": bool(learned and learned.active),
            "decisions": learned.decisions if learned else 0,
            "multipliers": learned.multipliers if learned else {},
            "preferred_trl": learned.preferred_trl if learned else None,
            "preferred_stage": learned.preferred_stage if learned else "",
            "words": learning.describe(learned) if learned else "",
            "suggestions": suggestions.suggestions_for([offering]),
        }

    @extend_schema(methods=["GET"], request=None, responses={200: LearningSerializer})
    @extend_schema(
        methods=["PATCH"], request=LearningSerializer, responses={200: LearningSerializer}
    )
    @action(detail=True, methods=["get", "patch"])
    def learning(self, request, pk=None):
        """What the offering's decisions taught, and the open suggestions; PATCH
        `{"active": false}` turns it off (the offering is re-scored), `true` back on."""
        offering = self.get_object()
        if request.method == "PATCH":
            body = LearningSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            learned = learned_weights_of(request.user).filter(offering=offering).first()
            if learned is None:
                raise NotFound(_("This offering has not learned from decisions yet."))
            learning.learned_weights_set_active(
                learned=learned, active=body.validated_data["active"], by=request.user
            )
        return Response(LearningSerializer(self._learning_body(offering)).data)

    def _answer(self, request, answer_one):
        offering = self.get_object()
        body = SuggestionAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            answer_one(
                offerings=offerings_visible_to(request.user),
                offering_id=offering.pk,
                by=request.user,
                **body.validated_data,
            )
        except StateConflict:
            raise  # no longer open: 409, as the exception handler answers
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(LearningSerializer(self._learning_body(self.get_object())).data)

    @extend_schema(request=SuggestionAnswerSerializer, responses={200: LearningSerializer})
    @action(detail=True, methods=["post"], url_path="suggestions/accept")
    def suggestion_accept(self, request, pk=None):
        """Apply an open suggestion: the offering changes and is re-scored (409 when the
        suggestion is no longer open)."""
        return self._answer(request, suggestions.suggestion_accept)

    @extend_schema(request=SuggestionAnswerSerializer, responses={200: LearningSerializer})
    @action(detail=True, methods=["post"], url_path="suggestions/dismiss")
    def suggestion_dismiss(self, request, pk=None):
        """Dismiss an open suggestion; it is not offered again."""
        return self._answer(request, suggestions.suggestion_dismiss)

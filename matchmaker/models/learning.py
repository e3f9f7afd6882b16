"""What an institution's own decisions teach: suggestions it answered, learned weights."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import FastChoiceDisplay, Stage


class SuggestionKind(models.TextChoices):
    REQUIRE_TRL = "require_trl", _("Require a higher TRL")
    RAISE_TICKET_MIN = "raise_ticket_min", _("Raise the smallest ticket")
    REQUIRE_FLIGHT_RECORD = "require_flight_record", _("Prefer flight heritage")


class SuggestionAnswer(FastChoiceDisplay, models.Model):
    """What an institution answered to a suggestion drawn from its own decisions: once
    accepted or dismissed, the same suggestion is not offered again."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    offering = models.ForeignKey(
        "investors.Offering", on_delete=models.CASCADE, related_name="suggestion_answers"
    )
    kind = models.CharField(max_length=24, choices=SuggestionKind.choices)
    value = models.BigIntegerField()
    state = models.CharField(max_length=12, choices=State.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "kind", "value"], name="one_answer_per_suggestion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}: {self.state}"


class LearnedWeights(FastChoiceDisplay, models.Model):
    """What an offering's own decisions taught the engine: a bounded multiplier per
    criterion, applied on top of its weights, and the TRL and stage its shortlists centre
    on, while `active` (the institution may turn it off). Only this offering's scores use
    it."""

    offering = models.OneToOneField(
        "investors.Offering", on_delete=models.CASCADE, related_name="learned_weights"
    )
    multipliers = models.JSONField(default=dict)  # criterion code → multiplier
    # Where its shortlists centre, used as the sweet spot when the offering names none.
    preferred_trl = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    preferred_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    decisions = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learned weights of offering {self.offering_id}"

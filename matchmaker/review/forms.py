"""The review's forms: they validate; `review.services` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaker.models import (
    DeclineReason,
    MatchStatus,
    NotificationPreference,
    SuggestionKind,
)
from matchmaker.review.filters import match_list_query
from matchmaker.review.rules import decline_note_problem
from matchmaker.vocabulary import GuidedFormMixin, plain_text_form_field


class DeclineForm(GuidedFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = plain_text_form_field(
        multiline=True,
        label=_("Note (only your institution sees it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        problem = decline_note_problem(cleaned.get("reason", ""), cleaned.get("note", ""))
        if problem:
            self.add_error("note", problem)
        return cleaned


class IntroductionForm(forms.Form):
    message = plain_text_form_field(
        multiline=True,
        label=_("Message to the firm"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Who you are and what you would like to discuss. The firm sees this before it decides."
        ),
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=MatchStatus.choices)
    note = plain_text_form_field(multiline=True, required=False, max_length=1000)


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "digest_min_score"]


class SavedViewForm(forms.Form):
    """Save the match list's filters under a name; only the list's own filters are kept."""

    name = plain_text_form_field(label=_("Name these filters"), max_length=60)
    query = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_query(self) -> str:
        return match_list_query(self.cleaned_data["query"])


class SuggestionAnswerForm(forms.Form):
    """Which suggestion the institution accepts or dismisses (checked against those open)."""

    offering = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=SuggestionKind.choices, widget=forms.HiddenInput)
    value = forms.IntegerField(widget=forms.HiddenInput)

"""The programme's forms: they validate (with `rules`, as the API does); services write."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from matchmaker.programme import rules
from matchmaker.programme.models import (
    DEAL_TERMS_FIELDS,
    TOOL_EDITABLE_FIELDS,
    DealTerms,
    Enrolment,
    Exclusion,
    ProgrammeList,
    RequiredDocument,
    Tool,
)
from matchmaker.vocabulary import Segment, plain_text_form_field, worded_empty_choices
from projects.models import Firm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ToolForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        worded_empty_choices(self)

    eligible_segments = forms.MultipleChoiceField(
        label=_("Eligible segments (none: every segment)"),
        choices=Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_lists = forms.MultipleChoiceField(
        label=_("Required lists (any of them; none: no list needed)"),
        choices=ProgrammeList.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusions"),
        choices=Exclusion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis_url = forms.URLField(
        label=capfirst(_("legal basis link")), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Tool
        fields = list(TOOL_EDITABLE_FIELDS)
        widgets = {"window_start": DATE, "window_end": DATE}

    def clean(self):
        cleaned = super().clean()
        for field, message in rules.tool_problems(cleaned).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        """The services save (they check the budget against what is committed); the
        model's own checks would repeat the constraints' messages in another form."""


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = [
            "offering",
            "tool",
            "covered_trl_min",
            "covered_pre_revenue",
            "covered_ticket_max",
            "indicative_rate_bp",
        ]

    def __init__(self, *args, offerings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["covered_trl_min"].widget.attrs.update(min=1, max=9)
        self.fields["indicative_rate_bp"].widget.attrs.update(min=0, max=10_000)
        worded_empty_choices(self)

    def _post_clean(self):
        """Validated by `services.enrolment_request`, which the view calls."""


class DealTermsForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        worded_empty_choices(self)

    documents = forms.MultipleChoiceField(
        label=_("Documents attested"),
        choices=RequiredDocument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DealTerms
        fields = list(DEAL_TERMS_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        cleaned = super().clean()
        for field, message in rules.deal_problems(cleaned).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        """Saved by `services.deal_close` with the match."""


class ClaimForm(forms.Form):
    deal = forms.IntegerField(widget=forms.HiddenInput)
    outstanding = forms.IntegerField(label=_("Outstanding (RMB)"), min_value=1)
    recoveries = forms.IntegerField(label=_("Recoveries (RMB)"), min_value=0, initial=0)

    def clean(self):
        cleaned = super().clean()
        if "outstanding" in cleaned and "recoveries" in cleaned:
            for field, message in rules.claim_problems(
                cleaned["outstanding"], cleaned["recoveries"]
            ).items():
                self.add_error(field, message)
        return cleaned


class MembershipClaimForm(forms.Form):
    programme_list = forms.ChoiceField(label=_("List"), choices=ProgrammeList.choices)
    evidence = plain_text_form_field(
        multiline=True,
        label=_("Evidence (a notice number, a register link)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StandingForm(forms.Form):
    firm = forms.ModelChoiceField(label=_("Firm"), queryset=Firm.objects.order_by("name"))
    bad_credit = forms.BooleanField(label=_("serious bad-credit record"), required=False)
    note = plain_text_form_field(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        worded_empty_choices(self)


class DecisionForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = plain_text_form_field(label=_("Reason"), required=False, max_length=300)


class ObjectionForm(forms.Form):
    """An objection to one entry of the public draft list (anyone may lodge one)."""

    name = plain_text_form_field(label=_("Your name or organisation"), max_length=100)
    contact = plain_text_form_field(
        label=_("How the office can reach you (phone or e-mail)"), max_length=200
    )
    reason = plain_text_form_field(
        multiline=True,
        label=_("What is wrong with this entry"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

"""The steps of the project form, each a plain Django form that keeps what was typed."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import (
    Collateral,
    Exposure,
    GuidedFormMixin,
    Instrument,
    Region,
    amount_limits,
    code_list_form_field,
)

from .documents import validate_document
from .models import (
    PROJECT_EDITABLE_FIELDS,
    RISK_FIELDS,
    SUMMARY_MAX_LENGTH,
    Document,
    Milestone,
    Project,
)
from .rules import (
    MAX_MILESTONES,
    break_even_problem,
    collateral_problem,
    flights_for,
    milestone_count_problem,
    milestone_date_problem,
    status_problems,
)


class BasicsForm(GuidedFormMixin, forms.ModelForm):
    defaulted_fields = (
        "flight_record",
        "successful_flights",
        "revenue_status",
        "last_year_revenue",
        "province",
        "registered_province",
        "round_role",
    )

    class Meta:
        model = Project
        fields = [name for name in PROJECT_EDITABLE_FIELDS if name not in RISK_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "months_to_revenue": _("Space is long-cycle: 60–120 months is common."),
            "months_to_break_even": _("Leave 0 if not yet known."),
            "successful_flights": _(
                "0 before a first flight; 1 after it (filled in for you); the count once "
                "several have flown or are in orbit."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("prior_funding", "last_year_revenue"):
            if name in self.fields:
                amount_limits(self.fields[name], minimum=0)
        if "summary" in self.fields:
            self._count_summary_not_cut(self.fields["summary"])
        if self.instance.pk is None:  # a new project: the city in the reader's language
            self.initial.setdefault("city", _("Shanghai"))
            self.initial["region"] = None  # chosen, never assumed
        self.fields["region"].choices = [("", _("Choose the district…")), *Region.choices]

    @staticmethod
    def _count_summary_not_cut(field) -> None:
        """A browser's maxlength silently cuts a pasted text at the limit: instead the page
        counts as one types (static/js/character-count.js) and the server says how much
        is over, keeping every character typed so the firm can shorten it itself."""
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-max-length"] = SUMMARY_MAX_LENGTH
        field.widget.attrs["data-count-words"] = _("%(count)s of %(limit)s characters")
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.max_length = None
        field.help_text = _("At most %(limit)s characters: the pitch deck carries the rest.") % {
            "limit": f"{SUMMARY_MAX_LENGTH:,}"
        }

    def clean_summary(self):
        summary = self.cleaned_data.get("summary", "")
        if len(summary) > SUMMARY_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "The summary has %(count)s characters; at most %(limit)s fit. Shorten "
                    "it: everything you typed is still here."
                )
                % {"count": f"{len(summary):,}", "limit": f"{SUMMARY_MAX_LENGTH:,}"}
            )
        return summary

    def clean(self):
        cleaned = super().clean()
        problem = break_even_problem(
            cleaned.get("months_to_revenue"), cleaned.get("months_to_break_even")
        )
        if problem:
            self.add_error("months_to_break_even", problem)
        if "successful_flights" in cleaned:
            cleaned["successful_flights"] = flights_for(
                cleaned.get("flight_record"), cleaned["successful_flights"]
            )
        for field, problem in status_problems(cleaned).items():
            if field in cleaned:
                self.add_error(field, problem)
        return cleaned


class NeedsForm(forms.Form):
    """One amount per instrument: the framework's point is that a project may seek several."""

    equity = forms.IntegerField(label=_("Equity sought (RMB)"), required=False)
    credit = forms.IntegerField(label=_("Credit sought (RMB)"), required=False)
    risk_cover = forms.IntegerField(
        label=_("Risk cover sought (insured value, RMB)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            amount_limits(field, minimum=1)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(code) for code in Instrument.values):
            raise forms.ValidationError(
                _("Enter an amount for at least one instrument: equity, credit or risk cover.")
            )
        return cleaned

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        return {need.instrument: need.amount for need in project.needs.all()}


class RisksForm(forms.ModelForm):
    exposures = code_list_form_field(Exposure, _("Risk exposures"))
    collateral = code_list_form_field(Collateral, _("Collateral available"))

    class Meta:
        model = Project
        fields = list(RISK_FIELDS)

    def clean_collateral(self):
        codes = self.cleaned_data["collateral"]
        problem = collateral_problem(codes)
        if problem:
            raise forms.ValidationError(problem)
        return codes


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        unchanged = self.instance.pk and self.instance.due_date == due_date
        problem = None if unchanged else milestone_date_problem(due_date, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return due_date


class BaseMilestoneFormSet(forms.BaseInlineFormSet):
    def kept(self) -> list[dict]:
        """The milestones the firm keeps: filled-in rows not marked for deletion."""
        return [
            {"title": form.cleaned_data["title"], "due_date": form.cleaned_data["due_date"]}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        """The API's limit, counted on the rows kept (Django's own `validate_max` would
        count blank extra rows too, and without it `max_num` limits only the display)."""
        super().clean()
        if any(self.errors):
            return
        problem = milestone_count_problem(len(self.kept()))
        if problem:
            raise forms.ValidationError(problem)


MilestoneFormSet = forms.inlineformset_factory(
    Project,
    Milestone,
    form=MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_MILESTONES,
)


class DocumentForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.xlsx"})}
        help_texts = {
            "file": _("PDF, PPTX or XLSX. Only your firm and introduced institutions see it.")
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload

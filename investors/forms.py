from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import (
    PRODUCT_INSTRUMENT,
    Collateral,
    Country,
    Criterion,
    Exposure,
    GuidedFormMixin,
    Province,
    Region,
    Segment,
    Stage,
    amount_limits,
    code_list_form_field,
)

from .models import OFFERING_EDITABLE_FIELDS, Offering, OfferingStatus
from .rules import offering_problems

# Amount fields and the least each takes (what is left of a capacity may be 0).
AMOUNT_MINIMUMS = {
    "ticket_min": 1,
    "ticket_max": 1,
    "capacity_total": 1,
    "capacity_left": 0,
    "preferred_ticket": 1,
}


class ProductTypeSelect(forms.Select):
    """Each product type names its instrument, so the form's script can offer only the
    chosen instrument's products."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-instrument"] = PRODUCT_INSTRUMENT[value]
        return option


class OfferingForm(GuidedFormMixin, forms.ModelForm):
    defaulted_fields = ("min_revenue_status", "min_flight_record", "round_role", "line_share")

    segments = code_list_form_field(Segment, _("Segments targeted"))
    stages = code_list_form_field(Stage, _("Stages targeted"))
    exposures_covered = code_list_form_field(Exposure, _("Exposures covered (insurance)"))
    regions = code_list_form_field(Region, _("Regions eligible"))
    presence = code_list_form_field(Province, _("Local presence required"))
    content = code_list_form_field(Province, _("National content: where the work must happen"))
    countries = forms.MultipleChoiceField(
        label=_("Countries whose firms it finances"),
        choices=Country.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    content_countries = forms.MultipleChoiceField(
        label=_("National content abroad: countries where the work must happen"),
        choices=Country.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    collateral_required = code_list_form_field(Collateral, _("Collateral accepted (credit)"))

    class Meta:
        model = Offering
        fields = [name for name in OFFERING_EDITABLE_FIELDS if name != "weights"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "active_from": forms.DateInput(attrs={"type": "date"}),
            "active_until": forms.DateInput(attrs={"type": "date"}),
            "product_type": ProductTypeSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, minimum in AMOUNT_MINIMUMS.items():
            if name in self.fields:
                amount_limits(self.fields[name], minimum=minimum)
        self.fields["capacity_left"].required = False
        self.fields["capacity_left"].help_text = _("Leave empty to use the total capacity.")
        for criterion in Criterion:
            self.fields[f"weight_{criterion.value}"] = forms.FloatField(
                label=criterion.label,
                required=False,
                min_value=0,
                max_value=10,
                initial=(self.instance.weights or {}).get(criterion.value),
            )

    @property
    def offering_fields(self):
        """The offering's own fields, shown before the optional weights."""
        return [self[name] for name in self.Meta.fields]

    @property
    def weight_fields(self):
        return [self[f"weight_{criterion.value}"] for criterion in Criterion]

    def clean(self):
        cleaned = super().clean()
        for field, problem in offering_problems(cleaned).items():
            self.add_error(field, problem)
        return cleaned

    def service_fields(self) -> dict:
        """The validated values as `services.offering_create` / `offering_update` take them:
        model fields, plus the weight fields gathered into one mapping."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["weights"] = {
            criterion.value: self.cleaned_data[f"weight_{criterion.value}"]
            for criterion in Criterion
            if self.cleaned_data.get(f"weight_{criterion.value}") is not None
        }
        return fields


class OfferingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=OfferingStatus.choices)

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import (
    PRODUCT_INSTRUMENT,
    Collateral,
    Criterion,
    Exposure,
    Region,
    Segment,
    Stage,
    code_list_form_field,
)

from .models import Offering, OfferingStatus

MAX_AMOUNT = 10**13


class OfferingForm(forms.ModelForm):
    segments = code_list_form_field(Segment, _("Segments targeted"))
    stages = code_list_form_field(Stage, _("Stages targeted"))
    exposures_covered = code_list_form_field(Exposure, _("Exposures covered (insurance)"))
    regions = code_list_form_field(Region, _("Regions eligible"))
    collateral_required = code_list_form_field(Collateral, _("Collateral accepted (credit)"))

    class Meta:
        model = Offering
        fields = [
            "name",
            "description",
            "instrument",
            "product_type",
            "ticket_min",
            "ticket_max",
            "capacity_total",
            "capacity_left",
            "max_tenor_months",
            "segments",
            "stages",
            "trl_min",
            "trl_max",
            "risk_appetite",
            "exposures_covered",
            "regions",
            "collateral_required",
            "pricing_note",
            "active_from",
            "active_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "active_from": forms.DateInput(attrs={"type": "date"}),
            "active_until": forms.DateInput(attrs={"type": "date"}),
            "trl_min": forms.NumberInput(attrs={"min": 1, "max": 9}),
            "trl_max": forms.NumberInput(attrs={"min": 1, "max": 9}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("ticket_min", "ticket_max", "capacity_total", "capacity_left"):
            self.fields[name].max_value = MAX_AMOUNT
            self.fields[name].widget.attrs["max"] = MAX_AMOUNT
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
    def weight_fields(self):
        return [self[f"weight_{criterion.value}"] for criterion in Criterion]

    def clean(self):
        cleaned = super().clean()
        ticket_min, ticket_max = cleaned.get("ticket_min"), cleaned.get("ticket_max")
        if ticket_min and ticket_max and ticket_min > ticket_max:
            self.add_error("ticket_max", _("The largest ticket must be at least the smallest."))
        trl_min, trl_max = cleaned.get("trl_min"), cleaned.get("trl_max")
        if trl_min and trl_max and trl_min > trl_max:
            self.add_error("trl_max", _("The highest TRL must be at least the lowest."))
        total, left = cleaned.get("capacity_total"), cleaned.get("capacity_left")
        if total and left is None:
            cleaned["capacity_left"] = total
        elif total and left > total:
            self.add_error("capacity_left", _("Capacity left cannot exceed the total capacity."))
        start, end = cleaned.get("active_from"), cleaned.get("active_until")
        if start and end and start > end:
            self.add_error("active_until", _("The window must end after it starts."))
        product, instrument = cleaned.get("product_type"), cleaned.get("instrument")
        if product and instrument and PRODUCT_INSTRUMENT[product] != instrument:
            self.add_error(
                "product_type", _("This product type does not belong to the chosen instrument.")
            )
        return cleaned

    def save(self, commit=True):
        weights = {
            criterion.value: self.cleaned_data[f"weight_{criterion.value}"]
            for criterion in Criterion
            if self.cleaned_data.get(f"weight_{criterion.value}") is not None
        }
        self.instance.weights = weights
        return super().save(commit)


class OfferingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=OfferingStatus.choices)

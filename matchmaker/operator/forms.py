"""The operator's forms."""

from django import forms
from django.utils.translation import gettext_lazy

from matchmaker.operator import selectors
from matchmaker.vocabulary import MAX_WEIGHT, Criterion, GuidedFormMixin


class WeightsForm(GuidedFormMixin, forms.Form):
    """The programme's default weight per criterion, and a sample project to preview."""

    sample = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Sample project")
    )

    def __init__(self, *args, initial_weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sample"].queryset = selectors.sample_projects()
        for criterion in Criterion:
            self.fields[criterion.value] = forms.FloatField(
                label=criterion.label,
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=initial_weights.get(criterion.value, 1),
            )

    @property
    def weight_fields(self):
        return [self[criterion.value] for criterion in Criterion]

    def weights(self) -> dict:
        return {criterion.value: self.cleaned_data[criterion.value] for criterion in Criterion}

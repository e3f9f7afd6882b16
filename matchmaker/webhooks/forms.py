from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import plain_text_form_field
from matchmaker.webhooks.events import event_types_for
from matchmaker.webhooks.targets import TargetRefused, check_target


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where your system listens: an https:// address."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"), widget=forms.CheckboxSelectMultiple
    )
    description = plain_text_form_field(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(t.code, t.label) for t in event_types_for(kind)]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except TargetRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return url

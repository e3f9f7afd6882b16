from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import DeclineReason, MatchStatus, NotificationPreference
from .registration import organization_name_taken
from .vocabulary import InstitutionType, OrganizationKind


class SignupForm(UserCreationForm):
    full_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Work e-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    kind = forms.ChoiceField(
        label=_("I work for"),
        choices=OrganizationKind.choices,
        widget=forms.RadioSelect,
    )
    institution_type = forms.ChoiceField(
        label=_("Type of institution"),
        choices=[("", _("— choose —")), *InstitutionType.choices],
        required=False,
        help_text=_("Only for financial institutions."),
    )
    organization_name = forms.CharField(label=_("Organisation name"), max_length=200)

    class Meta(UserCreationForm.Meta):
        fields = ["username", "full_name", "email", "phone"]

    field_order = [
        "kind",
        "institution_type",
        "organization_name",
        "full_name",
        "email",
        "phone",
        "username",
        "password1",
        "password2",
    ]

    def clean_organization_name(self):
        name = self.cleaned_data["organization_name"].strip()
        if organization_name_taken(name):
            raise forms.ValidationError(
                _(
                    "An organisation with this name is already registered. Ask a colleague there "
                    "or the programme office to add you."
                )
            )
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == OrganizationKind.INSTITUTION and not cleaned.get(
            "institution_type"
        ):
            self.add_error("institution_type", _("Choose what kind of institution you work for."))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Note (only your institution sees it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == DeclineReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say in a few words why, when the reason is “Other”."))
        return cleaned


class IntroductionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the firm"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Who you are and what you would like to discuss. The firm sees this before it decides."
        ),
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=MatchStatus.choices)
    note = forms.CharField(required=False, max_length=1000)


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "digest_min_score"]

"""Signing up: the user, and the organisation they work for."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from matchmaker.accounts.membership import organization_name_taken
from matchmaker.accounts.rules import institution_type_problem
from matchmaker.vocabulary import (
    GuidedFormMixin,
    InstitutionType,
    OrganizationKind,
    plain_text_form_field,
)


class SignupForm(GuidedFormMixin, UserCreationForm):
    full_name = plain_text_form_field(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Work e-mail"))
    phone = plain_text_form_field(label=_("Phone"), max_length=40, required=False)
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
    organization_name = plain_text_form_field(label=_("Organisation name"), max_length=200)

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
        problem = institution_type_problem(cleaned.get("kind", ""), cleaned.get("institution_type"))
        if problem:
            self.add_error("institution_type", problem)
        return cleaned

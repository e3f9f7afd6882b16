"""The deal room's forms, the "not now" decline and the office's audit filter: they
validate (what a user typed is kept on a refusal); the services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investors.models import Institution
from matchmaker.dealroom.conditions import condition_problem
from matchmaker.dealroom.models import AnswerKind, RevisitKind
from matchmaker.review.forms import DeclineForm
from matchmaker.vocabulary import plain_text_form_field
from projects.documents import validate_document
from projects.models import Firm

MAX_FREE_ITEMS = 10


class DateInput(forms.DateInput):
    input_type = "date"


def _file_field(label):
    return forms.FileField(
        label=label,
        required=False,
        validators=[validate_document],
        help_text=_("PDF, PPTX or XLSX."),
    )


class ConsentForm(forms.Form):
    """When the firm accepts: which of its documents the deal room may show."""

    documents = forms.ModelMultipleChoiceField(
        label=_("Documents the institution may open in the deal room"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda document: document.original_name


class ItemRequestForm(forms.Form):
    checklist_items = forms.ModelMultipleChoiceField(
        label=_("From your checklist"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = plain_text_form_field(
        multiline=True,
        label=_("Other items, one per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_items"].queryset = checklist
        self.fields["checklist_items"].label_from_instance = lambda item: item.title

    def clean_other_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["other_items"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_FREE_ITEMS:
            raise forms.ValidationError(
                _("At most %(count)s items of your own at a time.") % {"count": MAX_FREE_ITEMS}
            )
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Keep each item under 200 characters."))
        return lines

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean(self):
        cleaned = super().clean()
        nothing = not cleaned.get("checklist_items") and not cleaned.get("other_items")
        if nothing and "other_items" in cleaned:
            self.add_error(None, _("Choose at least one item or write one."))
        return cleaned


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Your answer"), choices=AnswerKind.choices, widget=forms.RadioSelect
    )
    text = plain_text_form_field(
        multiline=True,
        label=_("Answer, or why it does not apply"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = _file_field(_("File"))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == AnswerKind.UPLOAD and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose a file to upload."))
        if kind == AnswerKind.TEXT and not cleaned.get("text"):
            self.add_error("text", _("Write your answer."))
        if kind == AnswerKind.NOT_APPLICABLE and not cleaned.get("text"):
            self.add_error("text", _("Say why this item does not apply."))
        return cleaned


class ThreadForm(forms.Form):
    subject = plain_text_form_field(label=_("Subject"), max_length=200)
    body = plain_text_form_field(
        multiline=True,
        label=_("Question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = _file_field(_("Attachment"))


class ReplyForm(forms.Form):
    body = plain_text_form_field(
        multiline=True, label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = _file_field(_("Attachment"))


class NotNowDeclineForm(DeclineForm):
    """The decline, with an optional condition under which the match comes back."""

    revisit_kind = forms.ChoiceField(
        label=_("Not now: look again"),
        choices=[("", _("No, a plain decline")), *RevisitKind.choices],
        required=False,
        help_text=_("The firm is told what you are waiting for, never your note."),
    )
    revisit_trl = forms.IntegerField(
        label=_("TRL to reach"), min_value=1, max_value=9, required=False
    )
    revisit_date = forms.DateField(label=_("Look again after"), required=False, widget=DateInput)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("revisit_kind")
        if kind:
            problem = condition_problem(
                kind, cleaned.get("revisit_trl"), cleaned.get("revisit_date"), self.project
            )
            if problem:
                field = {RevisitKind.TRL: "revisit_trl", RevisitKind.DATE: "revisit_date"}.get(
                    kind, "revisit_kind"
                )
                self.add_error(field, problem)
        return cleaned


class AuditFilterForm(forms.Form):
    firm = forms.ModelChoiceField(
        label=_("Firm"), queryset=Firm.objects.order_by("name"), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.order_by("name"), required=False
    )
    person = plain_text_form_field(label=_("Person"), max_length=150, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

import copy
from urllib.parse import parse_qsl, urlencode

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from investors.models import Offering
from matchmaker.models import Match, MatchStatus
from matchmaker.review.selectors import projects_not_submitted
from matchmaker.review.widgets import FastSelect
from matchmaker.vocabulary import Instrument, Segment, Stage


class MatchOrder(models.TextChoices):
    """How the match list is sorted (the values the API's ``sort`` parameter takes).

    Labels stay lazy, so each reader sees them in their language (django-filter's own
    ordering filter writes its "(descending)" labels once, at import)."""

    BEST_FIRST = "-score", _("Best score first")
    LOWEST_FIRST = "score", _("Lowest score first")
    NEWEST_FIRST = "-newest", _("Newest first")
    OLDEST_FIRST = "newest", _("Oldest first")


ORDER_BY = {
    MatchOrder.BEST_FIRST: ("-score", "id"),
    MatchOrder.LOWEST_FIRST: ("score", "id"),
    MatchOrder.NEWEST_FIRST: ("-created_at", "-id"),
    MatchOrder.OLDEST_FIRST: ("created_at", "id"),
}


class FetchedChoices(django_filters.fields.ModelChoiceIterator):
    """The offerings' choices from one ordinary read of their queryset. Django's own
    iterator reads it with `.iterator()`, which on PostgreSQL opens a server-side cursor
    (declare, fetch, close: 1.7 ms of each list page drawing its filters, for some fifty
    names)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for offering in self.queryset:
            yield self.choice(offering)


class OfferingChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FetchedChoices


class CopiedPlainly:
    """A filter that each filter set copies without walking its choices: django-filter
    deep-copies every declared filter for each filter set it makes (its choices' lazy
    labels, its widget and all), 0.8 ms of each match list page and API list. What a
    request may change on its copy is rebound, never changed in place: the field built
    from it (dropped, so the copy builds its own from its own queryset) and the keyword
    arguments the field is built from (a dict of its own); and a filter by a method of
    its filter set binds a method filter of its own, which finds the copy's filter set."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.__dict__.pop("_field", None)
        clone.extra = dict(self.extra)
        clone.method = self.method  # (rebinds `clone.filter` to the clone)
        return clone


class OfferingFilter(CopiedPlainly, django_filters.ModelChoiceFilter):
    field_class = OfferingChoiceField


class VocabularyChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose copies share its choices: Django deep-copies them for each
    form it makes (every code and lazy label of a vocabulary, declared once in code and
    never changed), a third of building the list's filter form. The copy's choices are
    its own iterator (it names the field it belongs to) over the same list."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result.choices = self._choices.choices
        return result


class VocabularyFilter(CopiedPlainly, django_filters.ChoiceFilter):
    field_class = VocabularyChoiceField


class ScoreFilter(CopiedPlainly, django_filters.NumberFilter):
    pass


class SinceFilter(CopiedPlainly, django_filters.DateFilter):
    pass


class MatchFilter(django_filters.FilterSet):
    """The institution's match list: declined matches leave it unless asked for."""

    # (drop-downs written in Python: `widgets.FastSelect`)
    offering = OfferingFilter(
        queryset=Offering.objects.none(), label=_("Offering"), widget=FastSelect
    )
    segment = VocabularyFilter(
        field_name="project__segment",
        choices=Segment.choices,
        label=_("Segment"),
        widget=FastSelect,
    )
    stage = VocabularyFilter(
        field_name="project__stage", choices=Stage.choices, label=_("Stage"), widget=FastSelect
    )
    instrument = VocabularyFilter(
        field_name="offering__instrument",
        choices=Instrument.choices,
        label=_("Instrument"),
        widget=FastSelect,
    )
    min_score = ScoreFilter(field_name="score", lookup_expr="gte", label=_("Score at least"))
    status = VocabularyFilter(choices=MatchStatus.choices, label=_("Status"), widget=FastSelect)
    since = SinceFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("Matched since"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    sort = VocabularyFilter(
        choices=MatchOrder.choices,
        method="order",
        label=_("Sort"),
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        model = Match
        fields = ["offering", "segment", "stage", "instrument", "min_score", "status", "since"]

    def __init__(self, data=None, *args, offerings=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # the choices show names only: every offering's whole row (JSON columns and all)
        # was read and decoded for each list page's filter form
        self.filters["offering"].queryset = (
            offerings.only("pk", "name") if offerings is not None else Offering.objects.none()
        )

    @classmethod
    def get_form_class(cls):
        """The form class, built once per process: django-filter builds a class, and each
        of its fields, for every filter set it makes (a fifth of validating a list's
        filters). Its offering field knows no offerings; each form is given the filter
        set's own (`form`)."""
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            fields = {
                name: copy.deepcopy(filter_).field for name, filter_ in cls.base_filters.items()
            }
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = form_class
        return form_class

    @property
    def form(self):
        """django-filter's form, its offering drop-down and validation limited to the
        offerings this filter set was given (the user's own): the class's field has none."""
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["offering"].queryset = self.filters["offering"].queryset
        return self._form

    def order(self, queryset, _name, value):
        return queryset.order_by(*ORDER_BY[value])

    def filter_queryset(self, queryset):
        if not (self.form.cleaned_data.get("status")):
            # (a subquery, not a join of every match's project: `projects_not_submitted`)
            queryset = queryset.exclude(status=MatchStatus.DECLINED).exclude(
                project_id__in=projects_not_submitted()
            )
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-score", "id")
        return queryset


def match_list_query(query: str) -> str:
    """A query string of the match list's own filters only (what a saved view keeps)."""
    allowed = set(MatchFilter.base_filters)
    pairs = parse_qsl(query.lstrip("?"))
    return urlencode([(key, value) for key, value in pairs if key in allowed and value])

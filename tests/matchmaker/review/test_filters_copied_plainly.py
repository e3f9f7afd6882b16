"""Each filter set copies the declared filters without walking their choices
(`filters.CopiedPlainly`), and what one request binds on its copy stays its own."""

import copy

import pytest
from django.http import QueryDict

from investors.models import Offering
from matchmaker.models import Match
from matchmaker.review.filters import MatchFilter, VocabularyFilter
from matchmaker.review.widgets import FastSelect
from matchmaker.vocabulary import Segment
from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def test_a_copy_shares_the_declared_choices_and_not_what_it_binds():
    declared = VocabularyFilter(choices=Segment.choices, widget=FastSelect)
    declared.field  # noqa: B018 (a field built on the declared filter, as a schema may)
    clone = copy.deepcopy(declared)
    assert clone.extra["choices"] is declared.extra["choices"]  # not walked
    assert clone.extra is not declared.extra
    assert clone.field is not declared.field  # built again from the copy's own arguments


def test_each_institutions_filter_form_offers_only_its_own_offerings():
    first, second = InstitutionMemberFactory(), InstitutionMemberFactory()
    OfferingFactory(institution=first.institution, name="Seed equity")
    OfferingFactory(institution=second.institution, name="Launch cover")

    def names(member) -> set[str]:
        offerings = Offering.objects.filter(institution=member.institution)
        form = MatchFilter(QueryDict(), Match.objects.none(), offerings=offerings).form
        return {label for value, label in form.fields["offering"].choices if value}

    assert names(first) == {"Seed equity"}
    assert names(second) == {"Launch cover"}
    assert names(first) == {"Seed equity"}  # nothing the other bound is left behind
    assert not MatchFilter.base_filters["offering"].extra["queryset"].exists()


def test_a_sort_by_a_filter_set_method_runs_on_each_copy():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution)
    query = QueryDict("sort=score")
    for _ in range(2):
        match_filter = MatchFilter(query, Match.objects.filter(offering=offering))
        assert match_filter.is_valid(), match_filter.errors
        assert match_filter.qs.query.order_by == ("score", "id")


def test_the_form_class_is_built_once_and_each_form_validates_its_own_offerings():
    """`MatchFilter.get_form_class`: one class per process, whose offering field knows no
    offerings; each form checks an offering against the filter set's own."""
    first, second = InstitutionMemberFactory(), InstitutionMemberFactory()
    mine = OfferingFactory(institution=first.institution)
    theirs = OfferingFactory(institution=second.institution)

    def valid(member, offering) -> bool:
        offerings = Offering.objects.filter(institution=member.institution)
        query = QueryDict(f"offering={offering.pk}")
        return MatchFilter(query, Match.objects.none(), offerings=offerings).is_valid()

    assert valid(second, theirs)
    assert valid(first, mine)
    assert not valid(first, theirs)  # another's offering: not a choice, whatever came before
    assert not valid(second, mine)
    forms = [MatchFilter(QueryDict(), Match.objects.none()).form for _ in range(2)]
    assert type(forms[0]) is type(forms[1])
    assert not MatchFilter.get_form_class().base_fields["offering"].queryset.exists()


def test_each_forms_vocabulary_field_shares_the_declared_choices_and_names_itself():
    first, second = (MatchFilter(QueryDict("segment=launch")).form for _ in range(2))
    one, other = first.fields["segment"], second.fields["segment"]
    assert one is not other
    assert one._choices.choices is other._choices.choices  # not copied
    assert one._choices.field is one and other._choices.field is other
    assert [value for value, _label in one.choices][:2] == ["", Segment.choices[0][0]]
    assert first.is_valid() and first.cleaned_data["segment"] == "launch"

"""The match list's filter drop-downs, written in Python (`widgets.FastSelect`), are the
HTML Django's own widget templates write, in English and in Chinese: offering names that
look like HTML or hold quotes are escaped as Django escapes them, the chosen option is
marked, option groups and boolean attributes are written the same."""

import pytest
from django import forms
from django.utils import translation

from investors.selectors import offerings_visible_to
from matchmaker.review.filters import MatchFilter
from matchmaker.review.selectors import matches_of_institution_member
from matchmaker.review.widgets import FastSelect
from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def with_djangos_select(form) -> None:
    """The same form with Django's own `Select` widget on every drop-down."""
    for field in form.fields.values():
        if isinstance(field.widget, FastSelect):
            field.widget.__class__ = forms.Select


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "query",
    [{}, {"segment": "launch", "status": "new", "sort": "score"}, {"offering": "chosen"}],
)
def test_the_filter_form_is_djangos_html(language, query):
    member = InstitutionMemberFactory()
    names = ['Growth <equity> & "A"', "Crédit 'B'", "科技贷", "Plain"]
    offerings = [OfferingFactory(institution=member.institution, name=name) for name in names]
    if query.get("offering") == "chosen":
        query = {"offering": str(offerings[1].pk)}
    with translation.override(language):
        written = str(_form(member.user, query))
        plain = _form(member.user, query)
        with_djangos_select(plain)
        expected = str(plain)
    assert written == expected
    assert written.count("<select") == 6 and "&lt;equity&gt; &amp; &#34;A&#34;" in written
    if "offering" in query:
        assert f'<option value="{offerings[1].pk}" selected>' in written


def _form(user, query):
    return MatchFilter(
        query,
        queryset=matches_of_institution_member(user),
        offerings=offerings_visible_to(user),
    ).form


def test_option_groups_and_boolean_attributes_are_written_as_django_writes_them():
    choices = [
        ("", "---------"),
        ("Launch", [("1", "Small <lift>"), ("2", "Heavy")]),
        ("3", "Other 'one'"),
    ]
    attrs = {"id": "id_x", "required": True, "disabled": False, "data-note": 'a"b'}
    for value in ["", "2", "3", None]:
        fast = FastSelect(attrs=attrs, choices=choices).render("x", value)
        django = forms.Select(attrs=attrs, choices=choices).render("x", value)
        assert fast == django


def test_a_repeated_value_an_unnamed_group_and_multiple_choice_are_written_as_django_does():
    """Only the first option of a value is selected (unless the select takes several); a
    group without a name writes no optgroup."""
    choices = [
        ("1", "First"),
        ("", [("2", "In an unnamed group")]),
        ("1", "First again"),
        ("Group", [("3", "Three"), ("1", "First in a group")]),
    ]
    for value in ["1", "2", ["1", "3"], None]:
        fast = FastSelect(choices=choices).render("x", value)
        assert fast == forms.Select(choices=choices).render("x", value)
        several = FastSelect(choices=choices)
        several.allow_multiple_selected = True
        django = forms.Select(choices=choices)
        django.allow_multiple_selected = True
        assert several.render("x", value) == django.render("x", value)

"""The list's filter form reads its offerings' names with one ordinary query: Django's own
choice iterator used `.iterator()`, a server-side cursor on PostgreSQL (three round trips
for some fifty names on every list page that drew its filters)."""

import django_filters
import pytest
from django.db import connection

from investors.models import Offering
from matchmaker.review.filters import OfferingChoiceField
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db
URL = "/institution/matches/"


def test_the_filter_form_reads_its_offerings_without_a_server_side_cursor(monkeypatch):
    member = InstitutionMemberFactory()
    for name in ("Seed equity", "Launch cover", "Ground credit"):
        OfferingFactory(institution=member.institution, name=name)
    chunked = []
    real = connection.chunked_cursor
    monkeypatch.setattr(connection, "chunked_cursor", lambda: chunked.append(1) or real())
    page = logged_in_client(member.user).get(URL).content.decode()
    for name in ("Seed equity", "Launch cover", "Ground credit"):
        assert f">{name}</option>" in page
    assert chunked == []


@pytest.mark.parametrize("null_label", [None, "None of them"])
@pytest.mark.parametrize("empty_label", ["---------", None])
def test_the_offering_choices_are_django_filters_own(empty_label, null_label):
    for name in ("B offering", "A offering"):
        OfferingFactory(name=name)
    queryset = Offering.objects.order_by("name")
    options = {"empty_label": empty_label, "null_label": null_label}
    ours = OfferingChoiceField(queryset=queryset, **options)
    theirs = django_filters.fields.ModelChoiceField(queryset=queryset, **options)
    assert [(str(v), str(label)) for v, label in ours.choices] == [
        (str(v), str(label)) for v, label in theirs.choices
    ]
    assert (
        len(ours.choices)
        == len(theirs.choices)
        == 2 + (empty_label is not None) + (null_label is not None)
    )

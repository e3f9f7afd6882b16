"""The API rows' offerings are read again only when the database may have changed
(`review.selectors.institution_offerings_by_key`, #26): joined to every row with their
institution and learned weights, they were built again for each of a page's rows. Never stale
(an offering renamed on another connection shows at once), each request gets objects of
its own, only the institution's own offerings are read, and the rows say what each
match's own page says.

These tests commit (`transaction=True`): inside a test's transaction there is no marker
and every request reads."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investors.models import Offering
from matchmaker.matching import scoring
from matchmaker.models import LearnedWeights, Match
from matchmaker.review import selectors
from matchmaker.review.selectors import institution_offerings_by_key
from tests.conftest import committed_elsewhere
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

MATCHES = "/api/v1/matches/"


@pytest.fixture
def member():
    member = InstitutionMemberFactory()
    plain = OfferingFactory(institution=member.institution, name="Plain line")
    taught = OfferingFactory(institution=member.institution, name="Taught line")
    LearnedWeights.objects.create(
        offering=taught, multipliers={"trl": 1.2}, preferred_trl=7, decisions=12
    )
    for index in range(4):
        ProjectFactory(title=f"Project {index}", trl=5 + index % 3)
    scoring.full_rescore_inline()
    assert Match.objects.filter(offering__in=[plain, taught]).count() >= 6
    return member


def offering_reads(queries) -> int:
    return sum(
        'FROM "investors_offering"' in q["sql"] and "investors_institution" in q["sql"]
        for q in queries.captured_queries
    )


def api_client(member) -> APIClient:
    client = APIClient()
    key = Token.objects.get_or_create(user=member.user)[0].key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_unchanged_database_reads_a_pages_offerings_once(member):
    offerings = {
        offering.pk for offering in Offering.objects.filter(institution=member.institution)
    }
    with CaptureQueriesContext(connection) as first:
        institution_offerings_by_key(member.institution, offerings)
    with CaptureQueriesContext(connection) as again:
        kept = institution_offerings_by_key(member.institution, offerings)
    assert offering_reads(first) == 1
    assert offering_reads(again) == 0
    assert set(kept) == offerings


def test_only_the_offerings_not_kept_are_read(member):
    plain, taught = Offering.objects.filter(institution=member.institution).order_by("pk")
    institution_offerings_by_key(member.institution, {plain.pk})
    with CaptureQueriesContext(connection) as both:
        kept = institution_offerings_by_key(member.institution, {plain.pk, taught.pk})
    (read,) = [q["sql"] for q in both.captured_queries if 'FROM "investors_offering"' in q["sql"]]
    assert f"IN ({taught.pk})" in read
    assert kept[plain.pk].name == "Plain line" and kept[taught.pk].name == "Taught line"


def test_an_offering_renamed_on_another_connection_shows_at_once(member):
    plain = Offering.objects.get(institution=member.institution, name="Plain line")
    assert institution_offerings_by_key(member.institution, {plain.pk})[plain.pk].name == (
        "Plain line"
    )
    committed_elsewhere(lambda: Offering.objects.filter(pk=plain.pk).update(name="Renamed line"))
    assert institution_offerings_by_key(member.institution, {plain.pk})[plain.pk].name == (
        "Renamed line"
    )


def test_each_read_gets_objects_of_its_own(member):
    plain = Offering.objects.get(institution=member.institution, name="Plain line")
    first = institution_offerings_by_key(member.institution, {plain.pk})[plain.pk]
    first.set_by_one_request = True
    second = institution_offerings_by_key(member.institution, {plain.pk})[plain.pk]
    assert second is not first and second.institution is not first.institution
    assert not hasattr(second, "set_by_one_request")


def test_another_institutions_offering_is_never_read(member):
    stranger = OfferingFactory(name="Another bank's line")
    assert institution_offerings_by_key(member.institution, {stranger.pk}) == {}
    # nor kept for the institution that owns it to find under this one's key
    assert institution_offerings_by_key(stranger.institution, {stranger.pk})[stranger.pk].name == (
        "Another bank's line"
    )


def test_the_lists_rows_say_what_each_matchs_page_says(member):
    client = api_client(member)
    for _read in range(2):  # the second with the row cache emptied: offerings kept
        cache.clear()
        rows = client.get(MATCHES, {"page_size": 100}).json()["results"]
        assert len(rows) == Match.objects.filter(offering__institution=member.institution).count()
        for row in rows:
            own_page = client.get(f"{MATCHES}{row['id']}/").json()
            assert {**row, "programme": None} == {**own_page, "programme": None}
        assert {row["offering"]["name"] for row in rows} == {"Plain line", "Taught line"}
        assert {row["institution"]["name"] for row in rows} == {member.institution.name}


def test_a_row_whose_offering_went_between_the_two_reads_is_left_out(member, monkeypatch):
    matches = list(Match.objects.filter(offering__institution=member.institution))
    gone = matches[0].offering_id
    real = selectors.institution_offerings_by_key

    def without_gone(institution, keys):
        return {pk: offering for pk, offering in real(institution, keys).items() if pk != gone}

    monkeypatch.setattr(selectors, "institution_offerings_by_key", without_gone)
    rows = selectors.institution_matches_with_offerings(member.user, [m.pk for m in matches])
    assert rows and all(row.offering_id != gone for row in rows)
    assert {row.pk for row in rows} == {m.pk for m in matches if m.offering_id != gone}


def test_another_institutions_match_keys_read_no_row(member):
    """The rows are read by their keys alone; what is not the institution's own offerings'
    is left out (`institution_matches_with_offerings`), whatever keys a caller passes."""
    mine = list(Match.objects.filter(offering__institution=member.institution))
    stranger = InstitutionMemberFactory()
    theirs = OfferingFactory(institution=stranger.institution)
    scoring.full_rescore_inline()
    others = list(Match.objects.filter(offering=theirs))
    assert others
    keys = [match.pk for match in mine + others]
    read = selectors.institution_matches_with_offerings(member.user, keys)
    assert {match.pk for match in read} == {match.pk for match in mine}
    assert selectors.institution_matches_with_offerings(stranger.user, [m.pk for m in mine]) == []

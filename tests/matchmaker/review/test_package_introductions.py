"""A firm asking a whole package: every member not asked yet is asked, by the firm, as
part of the package, with the platform's sentence; a member already asked is skipped
and counted out (found by make mutate)."""

import pytest
from django.core.exceptions import ValidationError

from matchmaker.models import Introduction, MatchEvent, MatchStatus, Package
from matchmaker.review import introductions
from matchmaker.review.services import IllegalMove
from tests.matchmaker.matching.test_packages import stacked  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_package_request_asks_each_member_not_yet_asked_once(stacked):  # noqa: F811
    project, firm_user, institutions = stacked
    package = Package.objects.get(project=project, rank=1)
    members = list(package.members.select_related("match__offering"))
    assert len(members) == 3
    # the first member in the package's order was asked already: the others still are
    fund = members[0]
    users = {"Fund equity": "fund", "Bank loan": "bank", "Launch cover": "insurer"}
    asker = institutions[users[fund.match.offering.name]]
    introductions.introduction_request(match=fund.match, message="Hi", by=asker)
    firm = project.firm
    asked = introductions.package_introductions_request(package=package, firm=firm, by=firm_user)
    assert asked == len(members) - 1
    by_firm = Introduction.objects.filter(match__project=project, about_package=True)
    others = [m.match_id for m in members if m != fund]
    assert sorted(i.match_id for i in by_firm) == sorted(others)
    for introduction in by_firm:
        assert introduction.requested_by == firm_user
        assert introduction.initiated_by == Introduction.Side.FIRM
        assert introduction.message == (
            f"{firm.name} would like to discuss “{project.title}” as part of a financing package."
        )
    assert MatchEvent.objects.filter(to_status=MatchStatus.INTRO_REQUESTED).count() == len(members)
    # asked again: everyone has been asked, nobody twice
    assert (
        introductions.package_introductions_request(package=package, firm=firm, by=firm_user) == 0
    )


def test_an_introduction_no_longer_possible_says_so(stacked):  # noqa: F811
    project, firm_user, institutions = stacked
    package = Package.objects.get(project=project, rank=1)
    match = package.members.get(match__offering__name="Fund equity").match
    introductions.introduction_request(match=match, message="Hello", by=institutions["fund"])
    with pytest.raises(IllegalMove) as refused:
        introductions.introduction_request_from_firm(match=match, message="Hi", by=firm_user)
    assert refused.value.messages == ["An introduction cannot be requested for this match now."]


def test_an_introduction_needs_a_message_and_its_event_records_who_and_what(stacked):  # noqa: F811
    project, firm_user, _institutions = stacked
    package = Package.objects.get(project=project, rank=1)
    match = package.members.get(match__offering__name="Fund equity").match
    with pytest.raises(ValidationError) as refused:
        introductions.introduction_request_from_firm(match=match, message="  ", by=firm_user)
    assert refused.value.messages == ["Write a short message to the other side."]
    introductions.introduction_request_from_firm(
        match=match, message="Shall we talk?", by=firm_user
    )
    event = MatchEvent.objects.get(match=match)
    assert (event.to_status, event.user, event.note) == (
        MatchStatus.INTRO_REQUESTED,
        firm_user,
        "Shall we talk?",
    )

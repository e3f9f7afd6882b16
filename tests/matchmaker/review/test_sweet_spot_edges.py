"""Where an offering's decisions put its sweet spot, at the edges: the median of what it
shortlisted, and from declines alone one step past the most mature project declined as
too early, from exactly `MIN_DECISIONS` such declines, never past TRL 9 or the last
stage, and only declines that still stand count."""

import pytest

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import learning
from matchmaker.review import services as review
from matchmaker.vocabulary import Stage
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, trl_min=1, trl_max=9)
    return member, offering


def _match(offering, **project):
    project = ProjectFactory(**project)
    scoring.score_project(project.pk)
    return Match.objects.get(project=project, offering=offering)


def _decline_early(member, offering, projects):
    matches = []
    for trl, stage in projects:
        match = _match(offering, trl=trl, stage=stage)
        review.match_decline(match=match, by=member.user, reason="stage_too_early")
        matches.append(match)
    return matches


def test_three_shortlists_centre_on_their_median_trl_and_stage(fund):
    _member, offering = fund
    for trl, stage in ((5, Stage.PROTOTYPE), (9, Stage.COMMERCIAL), (6, Stage.RND)):
        match = _match(offering, trl=trl, stage=stage)
        Match.objects.filter(pk=match.pk).update(status=MatchStatus.SHORTLISTED)
    assert learning.shortlist_centre(offering) == (6, Stage.PROTOTYPE)


def test_ten_too_early_declines_move_the_sweet_spot_one_step_past_them_nine_do_not(fund):
    member, offering = fund
    declined = [(4, Stage.CONCEPT)] * 8 + [(6, Stage.PROTOTYPE)]
    _decline_early(member, offering, declined)
    assert learning.shortlist_centre(offering) == (None, "")
    _decline_early(member, offering, [(5, Stage.RND)])
    assert learning.shortlist_centre(offering) == (7, Stage.QUALIFICATION)


def test_the_sweet_spot_from_declines_stops_at_trl_9_and_the_last_stage(fund):
    member, offering = fund
    _decline_early(member, offering, [(9, Stage.COMMERCIAL)] * learning.MIN_DECISIONS)
    assert learning.shortlist_centre(offering) == (9, Stage.COMMERCIAL)


def test_a_too_early_decline_taken_back_does_not_count(fund):
    member, offering = fund
    matches = _decline_early(member, offering, [(4, Stage.CONCEPT)] * learning.MIN_DECISIONS)
    assert learning.shortlist_centre(offering)[0] == 5
    # the last one taken back and declined again, now as a ticket too small
    review.match_undo(match=matches[-1], by=member.user)
    review.match_decline(match=matches[-1], by=member.user, reason="ticket_too_small")
    assert learning.shortlist_centre(offering) == (None, "")


def test_two_shortlists_centre_on_the_upper_one_for_trl_and_stage(fund):
    _member, offering = fund
    for trl, stage in ((7, Stage.PROTOTYPE), (9, Stage.COMMERCIAL)):
        match = _match(offering, trl=trl, stage=stage)
        Match.objects.filter(pk=match.pk).update(status=MatchStatus.SHORTLISTED)
    assert learning.shortlist_centre(offering) == (9, Stage.COMMERCIAL)


def test_another_offerings_shortlists_and_declines_do_not_move_this_ones(fund):
    member, offering = fund
    other = OfferingFactory(institution=member.institution, trl_min=1, trl_max=9)
    _decline_early(member, other, [(6, Stage.PROTOTYPE)] * learning.MIN_DECISIONS)
    assert learning.shortlist_centre(offering) == (None, "")
    for _n in range(learning.MIN_SHORTLISTS):
        match = _match(other, trl=8, stage=Stage.COMMERCIAL)
        Match.objects.filter(pk=match.pk).update(status=MatchStatus.SHORTLISTED)
    assert learning.shortlist_centre(offering) == (None, "")


def test_a_too_early_decline_back_on_the_list_does_not_count(fund):
    member, offering = fund
    matches = _decline_early(member, offering, [(4, Stage.CONCEPT)] * learning.MIN_DECISIONS)
    review.match_reopen(match=matches[0], note="The project reached TRL 6.")
    assert learning.shortlist_centre(offering) == (None, "")


def test_a_too_early_decline_reopened_and_declined_for_another_reason_does_not_count(fund):
    """Back on the list (the project matured), then declined again as a ticket too small:
    the decline that stands is not "too early", as when it is taken back and redone."""
    member, offering = fund
    matches = _decline_early(member, offering, [(4, Stage.CONCEPT)] * learning.MIN_DECISIONS)
    assert learning.shortlist_centre(offering)[0] == 5
    review.match_reopen(match=matches[-1], note="The project reached TRL 6.")
    review.match_decline(match=matches[-1], by=member.user, reason="ticket_too_small")
    assert learning.shortlist_centre(offering) == (None, "")


def test_each_decline_counts_by_its_own_reason_not_by_the_latest_elsewhere(fund):
    """A later decline of another offering's match, for another reason, leaves this
    offering's too-early declines as they are."""
    member, offering = fund
    _decline_early(member, offering, [(4, Stage.CONCEPT)] * learning.MIN_DECISIONS)
    other = OfferingFactory(institution=member.institution, trl_min=1, trl_max=9)
    review.match_decline(match=_match(other, trl=7), by=member.user, reason="ticket_too_small")
    assert learning.shortlist_centre(offering)[0] == 5

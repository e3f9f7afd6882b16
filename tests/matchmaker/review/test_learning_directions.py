"""Learning goes the right way: what an institution shortlists ranks higher afterwards,
what it declines lower, and nothing is learned one decision short of the evidence."""

import numpy as np
import pytest

from matchmaker.matching import encoding, scoring
from matchmaker.models import LearnedWeights, Match, MatchStatus
from matchmaker.review import learning
from matchmaker.vocabulary import Criterion
from tests.factories import OfferingFactory, ProjectFactory
from tests.matchmaker.review.test_learning import decided  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
TRL = list(Criterion).index(Criterion.TRL)


def test_a_criterion_that_goes_with_declining_weighs_less():
    rng = np.random.default_rng(11)
    values = rng.random((400, len(Criterion)))
    decisions = (values[:, TRL] < 0.5).astype(int)  # the higher the TRL value, the more declines
    multipliers = learning.fit_multipliers(values, decisions)
    assert multipliers[Criterion.TRL] < 1 / 2.0


def test_exactly_ten_decisions_of_both_kinds_are_enough():
    rng = np.random.default_rng(3)
    values = rng.random((learning.MIN_DECISIONS, len(Criterion)))
    decisions = np.array([0, 1] * (learning.MIN_DECISIONS // 2))
    assert learning.fit_multipliers(values, decisions) is not None
    assert learning.fit_multipliers(values[:-1], decisions[:-1]) is None


def test_more_decisions_of_the_same_pattern_move_the_weight_further():
    rng = np.random.default_rng(5)
    values = rng.random((400, len(Criterion)))
    decisions = (values[:, TRL] > rng.random(400)).astype(int)  # a tendency, not a rule
    few = learning.fit_multipliers(values[:30], decisions[:30])[Criterion.TRL]
    many = learning.fit_multipliers(values[:120], decisions[:120])[Criterion.TRL]
    assert 1.0 < few < many < learning.MAX_MULTIPLIER


def test_a_learned_multiplier_multiplies_the_offerings_weight():
    offering = OfferingFactory(weights={Criterion.TRL.value: 2.0})
    LearnedWeights.objects.create(
        offering=offering, multipliers={Criterion.TRL.value: 1.5, Criterion.TENOR.value: 0.5}
    )
    weights = dict(zip(Criterion.values, encoding.offering_weights(offering, {}), strict=True))
    assert weights[Criterion.TRL.value] == pytest.approx(3.0)
    assert weights[Criterion.TENOR.value] == pytest.approx(0.5)
    assert weights[Criterion.SEGMENT.value] == pytest.approx(1.0)


def test_after_learning_what_was_shortlisted_ranks_higher_than_before(
    decided,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """The fund shortlisted mature projects and declined early ones: with learning on, a
    mature project gains on an early one; with it off, the gap is the offering's own."""
    _member, offering, _bystander = decided
    mature, early = ProjectFactory(trl=9), ProjectFactory(trl=4)

    def gap() -> float:
        for project in (mature, early):
            scoring.score_project(project.pk)
        score = {
            m.project_id: m.score
            for m in Match.objects.filter(offering=offering, project__in=[mature, early])
        }
        return score[mature.pk] - score[early.pk]

    learned = LearnedWeights.objects.get(offering=offering)
    with_learning = gap()
    with django_capture_on_commit_callbacks(execute=True):
        learning.learned_weights_set_active(learned=learned, active=False, by=_member.user)
    without = gap()
    assert with_learning > without + 1


def test_two_shortlists_set_a_sweet_spot_and_one_does_not(django_capture_on_commit_callbacks):
    offering = OfferingFactory(trl_min=2, trl_max=9)
    for trl in (7, 9):
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
    matches = list(Match.objects.filter(offering=offering).order_by("project__trl"))
    Match.objects.filter(pk=matches[0].pk).update(status=MatchStatus.SHORTLISTED)
    assert learning.shortlist_centre(offering) == (None, "")
    Match.objects.filter(pk=matches[1].pk).update(status=MatchStatus.SHORTLISTED)
    trl, _stage = learning.shortlist_centre(offering)
    assert trl == 9  # the median of two is the upper one: the nearer to what it took

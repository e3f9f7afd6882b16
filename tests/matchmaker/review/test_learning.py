"""Learning from decisions: bounded, only with evidence, only for the offering that
decided, reversible, and said in words where its scores are explained."""

import numpy as np
import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import LearnedWeights, Match, MatchStatus
from matchmaker.review import learning
from matchmaker.review import services as review
from matchmaker.vocabulary import Criterion
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TRL = list(Criterion).index(Criterion.TRL)


def test_nothing_is_learned_without_ten_decisions_of_both_kinds():
    rng = np.random.default_rng(1)
    values = rng.random((9, len(Criterion)))
    assert learning.fit_multipliers(values, np.array([0, 1] * 4 + [1])) is None
    values = rng.random((12, len(Criterion)))
    assert learning.fit_multipliers(values, np.ones(12, dtype=int)) is None


def test_a_criterion_that_goes_with_shortlisting_weighs_more_within_bounds():
    rng = np.random.default_rng(7)
    values = rng.random((400, len(Criterion)))
    decisions = (values[:, TRL] > 0.5).astype(int)
    multipliers = learning.fit_multipliers(values, decisions)
    assert multipliers[Criterion.TRL] > 2.0
    assert all(1 / 3 <= m <= 3 for m in multipliers.values())
    others = [m for c, m in multipliers.items() if c != Criterion.TRL]
    assert max(others) < 1.3


@pytest.fixture
def decided(django_capture_on_commit_callbacks):
    """A fund that shortlists mature projects and declines early ones, 16 times."""
    member = InstitutionMemberFactory()
    offering = OfferingFactory(
        institution=member.institution, name="Seed equity", trl_min=2, trl_max=9, preferred_trl=9
    )
    bystander = OfferingFactory(name="Someone else's equity", trl_min=2, trl_max=9)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(16):
            project = ProjectFactory(trl=2 + n % 8)
            scoring.score_project(project.pk)
            match = Match.objects.get(project=project, offering=offering)
            if project.trl >= 7:
                review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
            else:
                review.match_decline(match=match, by=member.user, reason="stage_too_early")
    return member, offering, bystander


def test_decisions_teach_their_offering_only_and_rescore_it(decided):
    member, offering, bystander = decided
    learned = LearnedWeights.objects.get(offering=offering)
    assert learned.decisions == 16
    assert learned.multipliers[Criterion.TRL] > 1.15
    assert not LearnedWeights.objects.filter(offering=bystander).exists()
    page = logged_in_client(member.user).get(reverse("institution:pipeline")).content.decode()
    assert "What your decisions taught the engine" in page
    assert "Your decisions weigh" in page and "Technology readiness" in page


def test_turning_it_off_scores_with_the_offerings_own_weights_again(
    decided, django_capture_on_commit_callbacks
):
    member, offering, _bystander = decided
    learned = LearnedWeights.objects.get(offering=offering)
    fresh = ProjectFactory(trl=8)
    scoring.score_project(fresh.pk)
    with_learning = Match.objects.get(project=fresh, offering=offering).score
    client = logged_in_client(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("institution:learning_off", args=[learned.pk]))
    without = Match.objects.get(project=fresh, offering=offering).score
    assert without != with_learning
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("institution:learning_on", args=[learned.pk]))
    assert Match.objects.get(project=fresh, offering=offering).score == with_learning


def test_the_match_explanation_names_the_learning(decided):
    member, offering, _bystander = decided
    fresh = ProjectFactory(trl=8)
    scoring.score_project(fresh.pk)
    match = Match.objects.get(project=fresh, offering=offering)
    page = logged_in_client(member.user).get(reverse("institution:match_detail", args=[match.pk]))
    assert "This offering's weights include what your decisions taught the engine:" in (
        page.content.decode()
    )


def test_another_institution_cannot_switch_it(decided):
    _member, offering, _bystander = decided
    learned = LearnedWeights.objects.get(offering=offering)
    other = logged_in_client(InstitutionMemberFactory().user)
    assert other.post(reverse("institution:learning_off", args=[learned.pk])).status_code == 404
    learned.refresh_from_db()
    assert learned.active


def test_the_offering_page_says_what_its_decisions_taught_and_can_switch_it_off(
    decided, django_capture_on_commit_callbacks
):
    member, offering, _bystander = decided
    client = logged_in_client(member.user)
    detail = client.get(reverse("investors:detail", args=[offering.pk])).content.decode()
    fragment_url = reverse("institution:offering_learning", args=[offering.pk])
    assert f'hx-get="{fragment_url}"' in detail
    fragment = client.get(fragment_url).content.decode()
    assert "Your decisions weigh" in fragment and "From 16 decisions." in fragment
    learned = LearnedWeights.objects.get(offering=offering)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("institution:learning_off", args=[learned.pk]),
            {"next": reverse("investors:detail", args=[offering.pk])},
        )
    assert response.url == reverse("investors:detail", args=[offering.pk])
    assert "Turned off" in client.get(fragment_url).content.decode()
    other = logged_in_client(InstitutionMemberFactory().user)
    assert other.get(fragment_url).status_code == 404

"""The firm's ranked, explained match list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaker.matching import scoring
from matchmaker.models import Match, PendingScoring
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_matches_are_listed_best_first(firm_client, scored_project):
    page = firm_client.get(
        reverse("firm:project_matches", args=[scored_project.pk])
    ).content.decode()
    assert page.index("Growth equity") < page.index("Deep-tech equity")


def test_explanation_shows_every_criterion_with_its_reason(firm_client, scored_project):
    match = Match.objects.get(offering__name="Deep-tech equity")
    page = firm_client.get(reverse("firm:match_detail", args=[match.pk])).content.decode()
    for label in [
        "Segment",
        "Stage",
        "Technology readiness",
        "Ticket size",
        "Tenor",
        "Risk",
        "Geography",
        "Collateral",
    ]:
        assert label in page
    assert "Can carry up to RMB 10,000,000 of the RMB 50,000,000 sought (20%)" in page
    assert "TRL 6: the offering&#x27;s preferred TRL." in page  # 4–8: the middle is 6
    assert "This project has not flown yet and is pre-revenue." in page
    assert "Held back most by" in page  # what decided the rank, first
    assert page.count('class="bar-value"') == 8


def test_the_list_polls_while_scoring_is_pending(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    PendingScoring.objects.create(kind="project", object_id=project.pk, requested_at=timezone.now())
    url = reverse("firm:project_matches", args=[project.pk])
    fragment = firm_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<html" not in fragment
    PendingScoring.objects.all().delete()
    assert 'hx-trigger="every 1s"' not in firm_client.get(url).content.decode()


def test_match_pages_of_another_firm_are_404(firm_client):
    other = ProjectFactory()
    OfferingFactory()
    scoring.score_project(other.pk)
    match = Match.objects.get()
    assert firm_client.get(reverse("firm:project_matches", args=[other.pk])).status_code == 404
    assert firm_client.get(reverse("firm:match_detail", args=[match.pk])).status_code == 404


def test_institutions_cannot_open_firm_match_pages(institution_client, scored_project):
    match = Match.objects.first()
    assert (
        institution_client.get(
            reverse("firm:project_matches", args=[scored_project.pk])
        ).status_code
        == 403
    )
    assert institution_client.get(reverse("firm:match_detail", args=[match.pk])).status_code == 403


def test_match_list_query_count_does_not_grow_with_matches(
    firm_client, firm_member, django_assert_max_num_queries
):
    project = ProjectFactory(firm=firm_member.firm)
    OfferingFactory.create_batch(20)
    scoring.score_project(project.pk)
    # + the matched instruments, the project's needs and the live offerings of the
    # instruments without a match (to say why), and the programme tools that apply (the
    # packages' covered tickets): constant, whatever the number of matches
    with django_assert_max_num_queries(17):
        firm_client.get(reverse("firm:project_matches", args=[project.pk]))


def test_a_narrower_segment_list_earns_no_bonus_and_says_so_plainly(firm_member):
    from django.utils import translation

    from matchmaker.matching.explain import explain

    project = ProjectFactory(firm=firm_member.firm, segment="components")
    OfferingFactory(segments=["components"])
    OfferingFactory(segments=["components", "launch"])
    scoring.score_project(project.pk)
    with translation.override("en"):
        reasons = sorted(
            explain(match, {})[0].reason
            for match in Match.objects.filter(project=project).select_related("offering")
        )
    assert reasons == ["Components and subsystems is among the segments this offering targets."] * 2
    scores = set(Match.objects.filter(project=project).values_list("score", flat=True))
    assert len(scores) == 1  # one segment or two: the same fit

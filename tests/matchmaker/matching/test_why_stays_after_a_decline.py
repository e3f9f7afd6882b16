"""“Why nothing matched” stays for a need whose only match was declined, and says so."""

import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.review import services as review
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_need_whose_only_match_was_declined_keeps_its_why(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, trl=5, needs={"credit": 20_000_000})
    bank = InstitutionMemberFactory(institution__institution_type="bank")
    OfferingFactory(institution=bank.institution, instrument="credit", trl_min=7, trl_max=9)
    OfferingFactory(institution=bank.institution, instrument="credit", trl_min=3, trl_max=9)
    scoring.score_project(project.pk)
    (match,) = Match.objects.filter(project=project, eligible=True)
    url = reverse("firm:project_matches", args=[project.pk])
    assert "Needs without a match, and why" not in firm_client.get(url).content.decode()
    review.match_decline(match=match, reason="risk_too_high", by=bank.user)
    page = firm_client.get(url).content.decode()
    assert "Needs without a match, and why" in page
    assert "1 was matched, and its institution has declined." in page
    assert "1 requires TRL 7 or more; this project is at TRL 5." in page
    assert "would fit, but keeps only" not in page

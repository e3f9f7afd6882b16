import pytest
from django.core.management import call_command

from investors.models import Institution, Offering
from matchmaker.models import Match, Package
from matchmaker.vocabulary import InstitutionType, Segment, Stage
from projects.models import Firm, Project

pytestmark = pytest.mark.django_db


def test_seed_demo_covers_every_segment_stage_and_institution_type_and_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Firm.objects.count() >= 20
    assert Project.objects.count() >= 40
    assert Institution.objects.count() >= 15
    assert Offering.objects.count() >= 40
    assert set(Project.objects.values_list("segment", flat=True)) == set(Segment.values)
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Institution.objects.values_list("institution_type", flat=True)) == set(
        InstitutionType.values
    )
    output = capsys.readouterr().out
    assert "Scored every pair" in output
    assert Match.objects.exists()
    assert Package.objects.exists()
    for login in ["operator", "firm", "bank", "insurer", "fund"]:
        assert f"  {login}" in output

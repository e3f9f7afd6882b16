import pytest
from django.core.management import call_command

from investors.models import Institution, Offering
from matchmaker.devtools.demo import seed_demo
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


def test_a_chinese_deployment_gets_its_demo_texts_in_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    seed_demo()
    assert Firm.objects.filter(name="松江星轨制造（演示）").exists()
    project = Project.objects.filter(firm__name="松江星轨制造（演示）").first()
    assert project.summary.startswith("演示项目：")
    assert not Firm.objects.filter(name__contains="Orbital").exists()

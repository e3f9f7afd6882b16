"""A pair judged on a programme tool's covered terms is explained on them, in words, in
both languages: the TRL, the pre-revenue firms and the larger ticket the enrolment
accepts, with the tool's name; an uncovered pair keeps the offering's own terms."""

import pytest
from django.utils import translation

from matchmaker.matching import scoring
from matchmaker.matching.explain import explain
from matchmaker.models import Match
from tests.matchmaker.programme.helpers import enrol, put_on_list, scene

pytestmark = pytest.mark.django_db


def reasons(match: Match, language: str) -> dict[str, str]:
    with translation.override(language):
        return {c.criterion: c.reason for c in explain(match, {})}


def scored(s) -> Match:
    scoring.score_project(s.project.pk)
    return Match.objects.get(project=s.project, offering=s.loan)


def test_the_trl_line_of_a_covered_pair_says_the_covered_trl_and_the_tool():
    s = scene()
    put_on_list(s)
    enrol(s, covered_trl_min=6)
    match = scored(s)
    english = reasons(match, "en")["trl"]
    assert english == (
        f"Accepts TRL 6–9 with {s.tool.name_en} (its own terms ask for TRL 7–9); "
        "this project is at TRL 6."
    )
    chinese = reasons(match, "zh-hans")["trl"]
    assert chinese == (f"适用{s.tool.name_zh}时接受 6–9 级（自身条件为 7–9 级）；本项目为 6 级。")


def test_a_pair_the_tool_does_not_apply_to_keeps_the_offerings_own_trl_range():
    s = scene()
    s.loan.trl_min = 6
    s.loan.save()
    enrol(s, covered_trl_min=5)  # the firm is on no list: the tool does not apply
    match = scored(s)
    assert reasons(match, "en")["trl"] == ("Prefers TRL 9 within 6–9; this project is at TRL 6.")


def test_pre_revenue_allowed_by_the_tool_is_said_instead_of_the_revenue_asked():
    s = scene()
    s.loan.trl_min = 6
    s.loan.min_revenue_status = "revenue"
    s.loan.save()
    put_on_list(s)
    assert not Match.objects.filter(project=s.project, offering=s.loan).exists()
    enrol(s, covered_pre_revenue=True)
    match = scored(s)
    english = reasons(match, "en")["risk"]
    assert (
        f"With {s.tool.name_en} it accepts pre-revenue firms (its own terms ask for "
        "earning revenue)." in english
    )
    assert "The offering asks for: earning revenue" not in english
    chinese = reasons(match, "zh-hans")["risk"]
    assert f"适用{s.tool.name_zh}时接受尚无收入的企业（自身条件要求" in chinese


def test_the_larger_ticket_the_tool_allows_is_carried_and_said():
    s = scene()
    s.project.needs.filter(instrument="credit").update(amount=80_000_000)
    put_on_list(s)
    enrol(s, covered_trl_min=6, covered_ticket_max=100_000_000)
    match = scored(s)
    english = reasons(match, "en")["ticket"]
    assert english.startswith("Can carry up to RMB 80,000,000 of the RMB 80,000,000 sought (100%)")
    assert (
        f"With {s.tool.name_en} it writes tickets up to RMB 100,000,000 (its own terms stop "
        "at RMB 50,000,000)." in english
    )
    chinese = reasons(match, "zh-hans")["ticket"]
    assert f"适用{s.tool.name_zh}时单笔金额最高 1亿元（自身条件最高 5,000万元）" in chinese


def test_the_api_match_list_explains_covered_pairs_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    from matchmaker.programme import services as programme
    from tests.api.conftest import api_client_for
    from tests.factories import FirmMemberFactory, ProjectFactory

    s = scene()
    put_on_list(s)
    enrol(s, covered_trl_min=6)

    def covered_projects(count):
        for _ in range(count):
            member = FirmMemberFactory()
            membership = programme.membership_claim(
                firm=member.firm, programme_list="programme", evidence="list", by=member.user
            )
            programme.membership_decide(membership=membership, confirm=True, by=s.office)
            project = ProjectFactory(firm=member.firm, trl=6, needs={"credit": 20_000_000})
            scoring.score_project(project.pk)

    scoring.score_project(s.project.pk)
    covered_projects(2)
    bank = api_client_for(s.bank_user)
    with django_assert_max_num_queries(40) as few:
        bank.get("/api/v1/matches/", HTTP_ACCEPT_LANGUAGE="en")
    covered_projects(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = bank.get("/api/v1/matches/?page_size=100", HTTP_ACCEPT_LANGUAGE="en")
    rows = response.json()["results"]
    assert len(rows) == 12
    trl_lines = {
        next(c["reason"] for c in row["components"] if c["criterion"] == "trl") for row in rows
    }
    assert trl_lines == {
        f"Accepts TRL 6–9 with {s.tool.name_en} (its own terms ask for TRL 7–9); "
        "this project is at TRL 6."
    }


def test_the_cover_sentence_names_every_covered_term_in_both_languages():
    from matchmaker.programme.matches import programme_notes

    s = scene()
    s.loan.min_revenue_status = "revenue"
    s.loan.save()
    s.project.needs.filter(instrument="credit").update(amount=80_000_000)
    put_on_list(s)
    enrol(s, covered_trl_min=6, covered_pre_revenue=True, covered_ticket_max=100_000_000)
    match = scored(s)
    with translation.override("en"):
        cover = programme_notes(match, "firm")["cover"]
    assert cover.endswith(
        f"{s.loan.institution.name} accepts TRL 6, pre-revenue firms, tickets up to "
        "RMB 100,000,000 with it."
    )
    with translation.override("zh-hans"):
        cover = programme_notes(match, "firm")["cover"]
    assert cover.endswith(
        f"据此{s.loan.institution.name}接受技术成熟度 6 级、尚无收入的企业、单笔金额最高 1亿元。"
    )

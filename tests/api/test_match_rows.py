"""The API list's hand-written rows (`match_rows`) are the serializer's, byte for byte, in
both languages: a plain match, an insurer's, one judged on a programme tool's covered
terms, a "not now" decline with what it waits for, and a project with several needs."""

import datetime as dt

import pytest
from django.utils import translation

from matchmaker.api.match_rows import match_rows
from matchmaker.api.renderers import SafeJSONRenderer
from matchmaker.api.serializers import MatchSerializer
from matchmaker.dealroom import revisit
from matchmaker.matching import scoring, selectors
from matchmaker.models import Match
from tests.factories import LaunchCoverFactory, ProjectFactory
from tests.matchmaker.programme.helpers import enrol, put_on_list, scene
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def rendered(rows) -> bytes:
    return SafeJSONRenderer().render(rows)


def page_of_every_shape() -> tuple[list[Match], str]:
    covered = scene()
    put_on_list(covered)
    enrol(covered, covered_trl_min=6)
    scoring.score_project(covered.project.pk)
    waiting = matched_pair(
        needs={"equity": 40_000_000, "credit": 15_000_000}, collateral=["receivables"]
    )
    revisit.match_decline_not_now(
        match=waiting.match,
        reason="stage_too_early",
        note="private",
        kind="date",
        trl=None,
        on_date=dt.date.today() + dt.timedelta(days=30),
        by=waiting.institution_user,
    )
    LaunchCoverFactory(institution__institution_type="insurer", line_share=40)
    ProjectFactory(
        segment="launch", needs={"risk_cover": 300_000_000}, exposures=["launch_failure"]
    )
    scoring.full_rescore_inline()
    page = (
        Match.objects.select_related(
            "project", "offering__institution", "offering__learned_weights"
        )
        .prefetch_related("project__needs")
        .order_by("pk")
    )
    return list(page), covered.tool


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_lists_rows_are_the_serializers_byte_for_byte(language):
    page, tool = page_of_every_shape()
    kinds = {match.offering.instrument for match in page}
    assert {"equity", "credit", "risk_cover"} <= kinds
    assert any(match.status == "declined" for match in page)
    context = {"default_weights": selectors.engine_weights(), "explain_memo": {}}
    with translation.override(language):
        expected = MatchSerializer(page, many=True, context={**context, "explain_memo": {}}).data
        written = match_rows(page, context)
    assert rendered(written) == rendered(expected)
    assert any(row["revisit"] for row in written)
    tool_name = tool.name_en if language == "en" else tool.name_zh
    assert any(tool_name in c["reason"] for row in written for c in row["components"])

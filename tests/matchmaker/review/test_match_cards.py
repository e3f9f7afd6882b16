"""The match list's project cards, written in Python (`review.cards`), are the HTML the
template loop wrote, in English and in Chinese: a project title that looks like HTML is
escaped, an ineligible match says so, a match already acted on has no shortlist button."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import example, given
from hypothesis import strategies as st

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import cards
from matchmaker.review.cards import group_cards
from matchmaker.review.institution_views import _with_addresses
from matchmaker.review.selectors import groups_of, matches_of_institution_member, project_page
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# The loop `templates/institution/match_list.html` had before the cards moved to Python.
TEMPLATE_LOOP = (Path(__file__).parent / "match_cards_loop.html").read_text()


@pytest.fixture
def page_of_cards():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, name="Growth <equity> A")
    OfferingFactory(institution=member.institution, name="Credit B")
    titles = ["<b>Bold</b> terminals", "Launch & return", "Plain one"]
    # each its own needs: a card must show its own project's
    needs = [
        {"equity": 120_000_000, "credit": 45_500},
        {"equity": 60_000_000},
        {"credit": 8_000_000, "equity": 2_500_000_000},
    ]
    # and its own segment, stage and region (the cards translate each label once a page)
    places = [
        ("components", "qualification", "songjiang"),
        ("launch", "prototype", "pudong"),
        ("ground_terminals", "qualification", "lingang"),
    ]
    projects = [
        ProjectFactory(title=title, needs=need, trl=6, segment=seg, stage=stage, region=region)
        for title, need, (seg, stage, region) in zip(titles, needs, places, strict=True)
    ]
    for project in projects:
        scoring.score_project(project.pk)
    matches = Match.objects.filter(offering__institution=member.institution).order_by("pk")
    assert matches.count() >= 4
    Match.objects.filter(pk=matches[0].pk).update(status=MatchStatus.SHORTLISTED)
    Match.objects.filter(pk=matches[1].pk).update(eligible=False)
    return member


def page_of_groups(queryset, groups_of=groups_of):
    page = project_page(queryset, "-score", 1)
    page.groups = groups_of(list(page.object_list), queryset)
    return page


def model_groups(project_ids, matches):
    """The page's groups as the template loop read them: model instances, each match with
    its project and offering, each project's needs through its related manager."""
    rows = matches.filter(project_id__in=project_ids).select_related("project", "offering")
    grouped = {project_id: [] for project_id in project_ids}
    for match in rows.order_by("-score", "id"):
        grouped[match.project_id].append(match)
    return [
        SimpleNamespace(project=items[0].project, matches=items, best=items[0])
        for items in grouped.values()
        if items
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_cards_are_the_template_loops_html(page_of_cards, language):
    """The cards, from plain values, against the template loop over model instances."""
    with translation.override(language):
        queryset = matches_of_institution_member(page_of_cards.user)
        page = page_of_groups(queryset)
        _with_addresses(page.groups)
        written = "".join(group.card for group in page.groups)
        reference = page_of_groups(queryset, model_groups)
        by_key = {match.pk: match for group in page.groups for match in group.matches}
        for group in reference.groups:
            for match in group.matches:
                match.detail_url = by_key[match.pk].detail_url
                match.shortlist_url = by_key[match.pk].shortlist_url
        expected = engines["django"].from_string(TEMPLATE_LOOP).render({"page": reference})
    assert written == expected.removeprefix("\n")
    assert "&lt;b&gt;Bold&lt;/b&gt; terminals" in written and "<b>" not in written
    assert "Growth &lt;equity&gt; A" in written
    assert 'class="badge withdrawn"' in written and 'class="badge shortlisted"' in written
    if language == "zh-hans":
        assert "技术成熟度 6 级" in written and "列入关注" in written and "已不符合条件" in written


def test_every_group_gets_its_card(page_of_cards):
    queryset = matches_of_institution_member(page_of_cards.user)
    page = page_of_groups(queryset)
    for group in page.groups:
        for match in group.matches:
            match.detail_url = match.shortlist_url = "/x/"
    group_cards(page.groups)
    assert len(page.groups) == 3
    assert all(group.card.startswith("\n<article") for group in page.groups)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@given(score=st.integers(0, 10_000).map(lambda hundredths: hundredths / 100))
def test_a_score_is_written_as_django_writes_it(language, score):
    """Scores are kept to two decimals (`scoring`); halves round up, as the filter's."""
    with translation.override(language):
        assert cards._whole(score) == floatformat(score, 0)


def test_a_vanishing_score_is_written_as_nought():
    # (where Django's filter gives up and writes the float's own digits)
    assert cards._whole(1.692111487395907e-197) == "0"
    assert floatformat(1.692111487395907e-197, 0) != "0"
    assert [cards._whole(score) for score in (64.5, 65.5, 99.49)] == ["65", "66", "99"]


@example(values=["\"quoted\" & 'single' <b>"])
@given(
    values=st.lists(
        st.text() | st.integers() | st.builds(mark_safe, st.text()), min_size=1, max_size=4
    )
)
def test_a_card_escapes_as_format_html_does(values):
    template = "<p>{}</p>" * len(values)
    written = cards._html(template, *values)
    assert written == format_html(template, *values) and isinstance(written, SafeString)


def test_a_lazy_word_is_written_in_the_readers_language():
    with translation.override("zh-hans"):
        assert cards._html("<b>{}</b>", gettext_lazy("Shortlist")) == "<b>列入关注</b>"
    safe_later = lazy(lambda: mark_safe("<i>kept</i>"), SafeString)()
    assert cards._html("{}", safe_later) == format_html("{}", safe_later) == "<i>kept</i>"

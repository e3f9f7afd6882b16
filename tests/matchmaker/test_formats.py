"""Numbers, money and dates per language: RMB with separators in English and in 万 / 亿 in
Chinese; one date format per language; times with their zone."""

import datetime

import pytest
from django.utils import translation

from matchmaker.money import percent, rmb, rmb_in_words, rmb_short
from matchmaker.vocabulary import instrument_label
from tests.conftest import logged_in_client
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "english", "chinese"),
    [
        (12_500_000, "RMB 12,500,000", "1,250万元"),
        (350_000_000, "RMB 350,000,000", "3.5亿元"),
        (8_000, "RMB 8,000", "8,000元"),
    ],
)
def test_amounts_read_as_each_language_writes_them(amount, english, chinese):
    with translation.override("en"):
        assert rmb(amount) == english
    with translation.override("zh-hans"):
        assert rmb(amount) == chinese


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        (120_000_000, "RMB 120M"),
        (1_500_000_000, "RMB 1.5B"),
        (12_500_000, "RMB 12.5M"),
        (8_000, "RMB 8K"),
        (950, "RMB 950"),
    ],
)
def test_short_amounts_for_lists_keep_one_decimal_at_most(amount, english):
    with translation.override("en"):
        assert rmb_short(amount) == english
    with translation.override("zh-hans"):
        assert rmb_short(amount) == rmb(amount)


def test_a_project_page_writes_dates_and_times_the_same_way_in_each_language(firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    project.milestones.create(title="First launch", due_date=datetime.date(2028, 3, 1))
    client = logged_in_client(firm_member.user)
    english = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content
    chinese = chinese.decode()
    assert "1 Mar 2028" in english and "Shanghai time" in english
    assert "2028年3月1日" in chinese and "（北京时间）" in chinese
    assert "RMB 50,000,000" in english and "5,000万元" in chinese


def test_lists_use_the_enumeration_comma_in_chinese():
    from matchmaker.money import listing

    with translation.override("en"):
        assert listing(["Launch failure", "Supply-chain concentration"]) == (
            "Launch failure, Supply-chain concentration"
        )
    with translation.override("zh-hans"):
        assert listing(["发射失利", "供应链集中"]) == "发射失利、供应链集中"


def test_a_phrase_of_labels_ends_with_and_in_each_language():
    from matchmaker.money import conjoined

    with translation.override("en"):
        assert conjoined([]) == ""
        assert conjoined(["Tenor"]) == "Tenor"
        assert conjoined(["Tenor", "Segment"]) == "Tenor and Segment"
        assert conjoined(["TRL", "Tenor", "Segment"]) == "TRL, Tenor and Segment"
    with translation.override("zh-hans"):
        assert conjoined(["期限", "领域"]) == "期限和领域"
        assert conjoined(["成熟度", "期限", "领域"]) == "成熟度、期限和领域"


def test_sentences_follow_each_other_with_a_space_in_english_and_none_in_chinese():
    from matchmaker.money import sentences

    with translation.override("en"):
        assert sentences("One.", "", " Two. ", None) == "One. Two."
        assert sentences("One.", "   ", "Two.") == "One. Two."  # blank is empty too
    with translation.override("zh-hans"):
        assert sentences("第一句。", "", "第二句。") == "第一句。第二句。"


def test_a_new_project_form_suggests_the_city_in_the_readers_language(firm_member):
    client = logged_in_client(firm_member.user)
    assert (
        'value="上海"'
        in client.get("/projects/new/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    )
    assert (
        'value="Shanghai"'
        in client.get("/projects/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_every_page_that_shows_a_time_writes_it_one_way_with_its_zone():
    """The match history, who looked and the scoring runs share one date-time format."""
    import re

    from django.contrib.auth import get_user_model

    from matchmaker.models import ScoringRun
    from matchmaker.review import services as review
    from tests.matchmaker.review.helpers import matched_pair

    pair = matched_pair()
    review.match_move(match=pair.match, to_status="shortlisted", by=pair.institution_user)
    institution = logged_in_client(pair.institution_user)
    pages = [
        institution.get(f"/institution/matches/{pair.match.pk}/"),
        logged_in_client(pair.firm_user).get(f"/firm/projects/{pair.match.project_id}/access/"),
    ]
    from tests.factories import PASSWORD

    operator = get_user_model().objects.create_user("op", password=PASSWORD, is_staff=True)
    ScoringRun.objects.create(started_at=pair.match.computed_at, chunks_total=1)
    pages.append(logged_in_client(operator).get("/operator/scoring/"))
    pattern = r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} Shanghai time"
    for response in pages:
        html = response.content.decode()
        assert re.search(pattern, html), response.request["PATH_INFO"]
        assert not re.search(r"\d{1,2}(:\d{2})? [ap]\.m\.", html)


def test_chinese_form_labels_end_in_the_full_width_colon():
    from projects.forms import BasicsForm

    with translation.override("zh-hans"):
        assert BasicsForm()["title"].label_tag() == '<label for="id_title">项目名称：</label>'
    with translation.override("en"):
        assert BasicsForm()["title"].label_tag() == '<label for="id_title">Title:</label>'


@pytest.mark.parametrize(
    ("amount", "english", "chinese"),
    [
        (10_000, "RMB 10,000", "1万元"),
        (9_999, "RMB 9,999", "9,999元"),
        (100_000_000, "RMB 100,000,000", "1亿元"),
        (99_999_999, "RMB 99,999,999", "1亿元"),
        (99_990_000, "RMB 99,990,000", "9,999万元"),
        (0, "RMB 0", "0元"),
        (-10_000, "RMB -10,000", "-1万元"),
        (-250_000_000, "RMB -250,000,000", "-2.5亿元"),
        (-9_999, "RMB -9,999", "-9,999元"),
    ],
)
def test_amounts_at_one_wan_one_yi_and_below_zero(amount, english, chinese):
    """The unit changes exactly at 1万 and 1亿 (also when rounding reaches them), and a
    negative amount (a refund, a correction) keeps its sign and its unit."""
    with translation.override("en"):
        assert rmb(amount) == english
    with translation.override("zh-hans"):
        assert rmb(amount) == chinese


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        (1_000, "RMB 1K"),
        (999, "RMB 999"),
        (999_999, "RMB 1M"),
        (1_000_000_000, "RMB 1B"),
        (999_999_999, "RMB 1B"),
        (-1_500_000, "RMB -1.5M"),
    ],
)
def test_short_amounts_change_unit_at_the_edges(amount, english):
    with translation.override("en"):
        assert rmb_short(amount) == english


def test_exactly_one_million_and_one_billion_take_the_larger_unit():
    with translation.override("en"):
        assert rmb_short(1_000_000) == "RMB 1M"
        assert rmb_short(1_000_000_000) == "RMB 1B"
        assert rmb_short(None) == "—"


@pytest.mark.parametrize(("fraction", "text"), [(None, "—"), (0, "0%"), (0.5, "50%"), (1, "100%")])
def test_percentages_read_as_whole_percent(fraction, text):
    assert percent(fraction) == text


def test_instrument_labels_follow_the_reader_and_unknown_codes_pass_through():
    with translation.override("en"):
        assert instrument_label("risk_cover") == "Risk cover"
    with translation.override("zh-hans"):
        assert instrument_label("risk_cover") == "风险保障"
    assert instrument_label("barter") == "barter"


@pytest.mark.parametrize(
    ("amount", "chinese"),
    [
        (12_345_678, "1,234.57万元"),  # two decimals of 万, rounded, no more
        (99_995_000, "9,999.5万元"),  # rounds to 9,999.5万, not to a whole 1亿
        (99_999_960, "1亿元"),  # 9,999.996万 rounds (to two decimals) to 1亿
        (123_456_789, "1.23亿元"),
    ],
)
def test_chinese_amounts_round_to_two_decimals_of_their_unit(amount, chinese):
    with translation.override("zh-hans"):
        assert rmb(amount) == chinese


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        (1_234_567, "RMB 1.2M"),  # one decimal, not two
        (999_500, "RMB 999.5K"),  # below 1,000K after rounding to one decimal
        (999_960, "RMB 1M"),  # 999.96K rounds to 1,000.0K: the next unit reads it
    ],
)
def test_short_amounts_round_to_one_decimal_before_choosing_the_unit(amount, english):
    with translation.override("en"):
        assert rmb_short(amount) == english


def test_an_empty_amount_reads_as_a_dash_in_full_and_short():
    # templates pass "" for an amount not given
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert rmb("") == "—"
            assert rmb_short("") == "—"


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        (100_000_000_000, "RMB 100 billion"),
        (1_000_000_000, "RMB 1 billion"),
        (1_000_000_000_000, "RMB 1 trillion"),
        (2_500_000_000_000_000, "RMB 2,500 trillion"),
        (1_500_000_000_000, "RMB 1,500 billion"),
        (1_500_000_000, "RMB 1,500 million"),
        (1_000_000, "RMB 1 million"),
        (2_000_000, "RMB 2 million"),
        (1_500_000, "RMB 1,500,000"),
        (999_999, "RMB 999,999"),
    ],
)
def test_round_limits_read_as_people_say_them(amount, english):
    """The largest word that divides the amount exactly; otherwise the amount in full."""
    with translation.override("en"):
        assert rmb_in_words(amount) == english
    with translation.override("zh-hans"):
        assert rmb_in_words(amount) == rmb(amount)


def test_a_round_limit_in_chinese_reads_in_yi():
    with translation.override("zh-hans"):
        assert rmb_in_words(100_000_000_000) == "1,000亿元"

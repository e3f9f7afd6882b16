"""At 1280 px the pipeline's six columns sit in one row and the operator's funnel table
shows every stage without clipping."""

import pytest

from matchmaker.models import MatchStatus
from matchmaker.review import services as review
from tests.browser.conftest import log_in
from tests.matchmaker.review.helpers import matched_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_six_pipeline_columns_sit_in_one_row(page, live_server, screenshot):
    pair = matched_pair()
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    log_in(page, live_server, pair.institution_user.username)
    page.goto(f"{live_server.url}/institution/pipeline/")
    tops = page.locator(".board .column").evaluate_all(
        "columns => columns.map(c => c.getBoundingClientRect().top)"
    )
    screenshot(page, "41-pipeline-1280")
    assert len(tops) == 6 and len(set(tops)) == 1


def test_the_funnel_table_is_not_clipped_at_1280(page, live_server, screenshot, django_user_model):
    matched_pair()
    django_user_model.objects.create_user("yunying", password="pw", is_staff=True)
    log_in(page, live_server, "yunying", "pw")
    page.goto(f"{live_server.url}/operator/")
    wrap = page.locator("#funnel-table").locator("xpath=..")
    scroll, client = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    screenshot(page, "42-operator-funnel-1280")
    assert scroll <= client
    assert page.locator("#funnel-table th", has_text="Closed").is_visible()

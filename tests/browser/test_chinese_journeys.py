"""The firm's and an institution's journeys in Chinese, at 1280 px and on a 390 px phone,
in a Chinese browser (Accept-Language zh-CN): real characters in the screenshots, no
English of ours on the way."""

import pytest

from matchmaker.models import MatchStatus
from projects.models import Project, ProjectStatus
from tests.factories import (
    PASSWORD,
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def chinese_page(request, browser):
    context = browser.new_context(
        viewport=WIDTHS[request.param], locale="zh-CN", is_mobile=request.param == "phone"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.width_name = request.param
    yield page
    context.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_firm_submits_a_project_and_reads_its_matches_in_chinese(
    chinese_page, live_server, screenshot
):
    page = chinese_page
    member = FirmMemberFactory(user=UserFactory(username="lina"))
    OfferingFactory(name="科创成长股权", trl_min=4, trl_max=8)
    log_in(page, live_server, "lina")
    page.get_by_role("link", name="新建项目").first.click()
    page.get_by_label("项目名称").fill("相控阵天线生产线")
    page.get_by_label("项目简介").fill("面向低轨用户终端的 Ka 频段相控阵天线。")
    page.get_by_label("细分领域").select_option("components")
    page.get_by_label("发展阶段").select_option("qualification")
    page.get_by_label("技术成熟度等级").fill("6")
    page.get_by_label("距首笔收入月数").fill("24")
    page.get_by_label("所在区域").select_option("pudong")
    screenshot(page, f"zh-{page.width_name}-01-basics")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_label("股权融资需求（元）").fill("50000000")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_label("发射失利").check()
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("button", name="继续核对").click()
    screenshot(page, f"zh-{page.width_name}-02-review")
    page.get_by_role("button", name="提交匹配").click()
    page.get_by_text("已提交。匹配引擎正在为项目评分").wait_for()
    project = Project.objects.get(firm=member.firm)
    assert project.status == ProjectStatus.SUBMITTED
    page.get_by_text("科创成长股权").first.wait_for()  # the project page loads its matches
    screenshot(page, f"zh-{page.width_name}-03-matches")
    page.get_by_role("link", name="原因").first.click()
    page.get_by_role("heading", name="匹配理由").wait_for()
    assert page.get_by_text("技术成熟度等级 6 级，正是本产品的偏好等级。").count() == 1
    assert page.get_by_text("本项目尚未飞行，收入状况：尚无收入。").count() >= 1
    screenshot(page, f"zh-{page.width_name}-04-explained")


def test_an_institution_reviews_a_match_in_chinese(chinese_page, live_server, screenshot):
    from matchmaker.matching import scoring
    from tests.factories import ProjectFactory

    page = chinese_page
    member = InstitutionMemberFactory(user=UserFactory(username="wangwei"))
    offering = OfferingFactory(institution=member.institution, name="科创成长股权")
    project = ProjectFactory(title="激光星间链路终端", summary="面向宽带低轨星座的激光通信终端。")
    scoring.score_project(project.pk)
    log_in(page, live_server, "wangwei")
    page.get_by_role("link", name="匹配", exact=True).click()
    page.get_by_role("heading", name="匹配清单").wait_for()
    screenshot(page, f"zh-{page.width_name}-05-match-list")
    page.get_by_role("link", name="激光星间链路终端").click()
    page.get_by_role("button", name="列入关注").click()
    page.get_by_text("已列入关注。").wait_for()
    page.get_by_text("申请对接", exact=True).click()
    page.get_by_label("致企业的留言").fill("您好，我们希望进一步了解贵司的量产计划。")
    page.get_by_role("button", name="发送申请").click()
    page.get_by_text("已申请对接，由企业决定是否接受。").wait_for()
    screenshot(page, f"zh-{page.width_name}-06-match-detail")
    match = offering.matches.get(project=project)
    assert match.status == MatchStatus.INTRO_REQUESTED

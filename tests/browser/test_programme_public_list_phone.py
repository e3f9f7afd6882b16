"""The public draft list (公示) on a phone (390×844), signed out, in Chinese and in English:
a passer-by finds it from the footer, reads the entries in their objection window, opens
one and lodges an objection; a bad one is refused saying why. Each page fits the screen's
width and passes axe-core's WCAG 2.1 AA check. Screenshots in
test-artifacts/programme-public-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from matchmaker.programme import services as programme
from matchmaker.programme.models import Entitlement, Objection
from tests.matchmaker.programme.test_entitlements import closed_deal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WORDS = {
    "zh-CN": {
        "footer": "拟支持名单公示（接受社会异议）",
        "amount": "42万元",
        "object": "提出异议",
        "submit": "提交异议",
        "name": "您的姓名或单位名称",
        "contact": "联系方式（电话或电子邮箱）",
        "reason": "异议事由",
        "received": "异议已收到",
        "too_short": "请至少用一句话说明",
    },
    "en-GB": {
        "footer": "Programme support: draft list open for public objection",
        "amount": "RMB 420,000",
        "object": "Object to the entry for",
        "submit": "Lodge the objection",
        "name": "Your name or organisation",
        "contact": "How the office can reach you (phone or e-mail)",
        "reason": "What is wrong with this entry",
        "received": "Objection received",
        "too_short": "Say what is wrong with this entry",
    },
}


@pytest.fixture(params=["zh-CN", "en-GB"])
def language(request):
    return request.param


def two_entries():
    """Two published entitlements: one in its window, one whose window has closed."""
    listed = []
    for _ in range(2):
        deal, _tool, pair, office = closed_deal(terms={"start_date": timezone.localdate()})
        [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user)
        listed.append(programme.entitlement_publish(entitlement=entitlement, by=office))
    Entitlement.objects.filter(pk=listed[1].pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    return listed[0], listed[1]


def fits(page) -> bool:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return width <= PHONE["width"] and width <= page.evaluate("window.innerWidth")


def test_a_passer_by_objects_to_an_entry_on_a_phone(browser, live_server, language, screenshot):
    words = WORDS[language]
    tag = "zh" if language.startswith("zh") else "en"
    open_entry, closed_entry = two_entries()
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale=language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name=words["footer"]).click()
        page.wait_for_url("**/programme/public/")
        table = page.locator("#public-list")
        assert words["amount"] in table.inner_text()
        assert open_entry.firm.name in table.inner_text()
        assert closed_entry.firm.name not in table.inner_text()
        screenshot(page, f"programme-public-{tag}-list")
        assert fits(page)

        page.get_by_role("link", name=words["object"]).click()
        page.get_by_label(words["name"]).fill("王敏")
        page.get_by_label(words["contact"]).fill("138 0000 0000")
        page.get_by_label(words["reason"]).fill("太短")
        page.get_by_role("button", name=words["submit"]).click()
        assert words["too_short"] in page.content()
        screenshot(page, f"programme-public-{tag}-refused")
        assert fits(page)
        assert not Objection.objects.exists()

        page.get_by_label(words["reason"]).fill("该笔贷款在补贴期开始前已提前还清，不应享受贴息。")
        page.get_by_role("button", name=words["submit"]).click()
        page.wait_for_url("**/programme/public/")
        assert words["received"] in page.locator(".messages").inner_text()
        screenshot(page, f"programme-public-{tag}-received")
        assert fits(page)
        objection = Objection.objects.get()
        assert (objection.entitlement_id, objection.contact) == (open_entry.pk, "138 0000 0000")
    finally:
        context.close()

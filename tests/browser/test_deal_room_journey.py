"""The deal room as people use it, in English at 1280 px and in Chinese on a 390 px phone:
a bank asks for five items, the firm answers three and marks one not applicable, the board
shows one overdue, a question is asked and answered (with a read receipt), the firm
withdraws a document and the bank loses access at once. Screenshots in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone

from matchmaker.dealroom.models import ItemRequest
from tests.factories import PASSWORD
from tests.matchmaker.dealroom.helpers import PDF, open_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "log_in": "Log in",
        "ask_items": "Ask the firm for items",
        "checklist": [
            "Audited financial statements (last three years)",
            "Tax and credit-report authorisation",
            "Collateral ownership papers",
        ],
        "other": "Other items, one per line",
        "due": "Due date",
        "ask": "Ask",
        "answer": "Answer…",
        "upload": "A file",
        "written": "A written answer",
        "not_applicable": "Not applicable",
        "text": "Answer, or why it does not apply",
        "send_answer": "Send the answer",
        "ask_question": "Ask a question",
        "subject": "Subject",
        "question": "Question",
        "reply": "Reply",
        "send": "Send",
        "read_by": "Read by",
        "withdraw": "Withdraw",
        "extra": ["Order book", "Board minutes"],
        "reply_text": "No, the line is free of any pledge.",
    },
    "zh": {
        "username": "用户名",
        "password": "密码",
        "log_in": "登录",
        "ask_items": "向企业提出资料需求",
        "checklist": ["近三年经审计的财务报表", "纳税信息及征信查询授权书", "担保物权属证明文件"],
        "other": "其他资料（每行一项）",
        "due": "截止日期",
        "ask": "提交需求",
        "answer": "答复…",
        "upload": "上传文件",
        "written": "书面答复",
        "not_applicable": "不适用",
        "text": "答复内容，或不适用的理由",
        "send_answer": "提交答复",
        "ask_question": "提出问题",
        "subject": "主题",
        "question": "问题",
        "reply": "回复",
        "send": "发送",
        "read_by": "已读：",
        "withdraw": "撤回授权",
        "extra": ["在手订单", "董事会决议"],
        "reply_text": "没有，该生产线未设任何抵押。",
    },
}
RUNS = {
    "en-desktop": ("en", {"width": 1280, "height": 900}, False),
    "zh-phone": ("zh", {"width": 390, "height": 844}, True),
}


def person(browser, live_server, language, viewport, mobile, username, words):
    context = browser.new_context(
        viewport=viewport, locale="zh-CN" if language == "zh" else "en-GB", is_mobile=mobile
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(words["username"]).fill(username)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["log_in"]).click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("run", list(RUNS))
def test_a_bank_and_a_firm_work_through_the_deal_room(
    run, browser, live_server, screenshot, tmp_path
):
    language, viewport, mobile = RUNS[run]
    words = WORDS[language]
    world = open_room()
    room_url = f"{live_server.url}/rooms/{world.room.pk}/"
    bank_context, bank = person(
        browser, live_server, language, viewport, mobile, world.institution_user.username, words
    )
    firm_context, firm = person(
        browser, live_server, language, viewport, mobile, world.firm_user.username, words
    )
    try:
        # The bank asks for five items: three of its checklist, two in its own words.
        bank.goto(room_url)
        bank.get_by_text(words["ask_items"]).click()
        for title in words["checklist"]:
            bank.get_by_label(title).check()
        bank.get_by_label(words["other"]).fill("\n".join(words["extra"]))
        bank.get_by_label(words["due"]).fill(timezone.localdate().isoformat())
        bank.get_by_role("button", name=words["ask"], exact=True).click()
        bank.wait_for_load_state()
        assert ItemRequest.objects.filter(room=world.room).count() == 5
        screenshot(bank, f"dealroom-{run}-01-bank-asked")

        # The firm answers three (one with a file) and marks one not applicable.
        items = list(ItemRequest.objects.filter(room=world.room).order_by("id"))
        answer_file = tmp_path / "accounts-2025.pdf"
        answer_file.write_bytes(PDF)
        answers = [
            (items[0], words["upload"], None, answer_file),
            (items[1], words["written"], "2025.pdf p. 3", None),
            (items[2], words["written"], "OK", None),
            (items[3], words["not_applicable"], words["extra"][1], None),
        ]
        for item, kind, text, path in answers:
            firm.goto(room_url)
            card = firm.locator(f"#item-{item.pk}")
            card.get_by_text(words["answer"]).click()
            card.get_by_label(kind, exact=True).check()
            if text:
                card.get_by_label(words["text"]).fill(text)
            if path:
                card.locator("input[type=file]").set_input_files(str(path))
            card.get_by_role("button", name=words["send_answer"]).click()
            firm.wait_for_load_state()
        states = sorted(ItemRequest.objects.filter(room=world.room).values_list("state", flat=True))
        assert states == ["answered", "answered", "answered", "not_applicable", "open"]

        # A day later the last item is overdue: both sides' boards say so.
        ItemRequest.objects.filter(pk=items[4].pk).update(
            due_on=timezone.localdate() - dt.timedelta(days=1)
        )
        for page in (firm, bank):
            page.goto(room_url)
            assert page.locator("[data-count=overdue]").inner_text() == "1"
            assert page.locator("[data-count=answered]").inner_text() == "4"
            assert page.locator("[data-count=open]").inner_text() == "0"
        screenshot(firm, f"dealroom-{run}-02-firm-board")
        screenshot(bank, f"dealroom-{run}-03-bank-board")

        # A question and its answer, with the read receipt.
        bank.get_by_text(words["ask_question"]).click()
        bank.get_by_label(words["subject"]).fill(words["checklist"][2])
        bank.get_by_label(words["question"]).fill("?")
        bank.get_by_role("button", name=words["send"], exact=True).click()
        bank.wait_for_load_state()
        thread_url = bank.url
        firm.goto(thread_url)
        firm.get_by_label(words["reply"]).fill(words["reply_text"])
        firm.get_by_role("button", name=words["send"], exact=True).click()
        firm.wait_for_load_state()
        bank.goto(thread_url)
        assert words["reply_text"] in bank.content()
        assert words["read_by"] in bank.content()
        screenshot(bank, f"dealroom-{run}-04-thread")

        # The firm withdraws the accounts; the bank's link answers 404 at once.
        document_url = f"{room_url}documents/{world.accounts.pk}/"
        assert bank.request.get(document_url).status == 200
        firm.goto(room_url)
        firm.locator(f"form[action$='/documents/{world.accounts.pk}/withdraw/'] button").click()
        firm.wait_for_load_state()
        assert bank.request.get(document_url).status == 404
        bank.goto(room_url)
        assert bank.locator(f"a[href$='/documents/{world.accounts.pk}/']").count() == 0
        assert bank.locator(f"a[href$='/documents/{world.deck.pk}/']").count() == 1
        screenshot(firm, f"dealroom-{run}-05-firm-withdrew")
        screenshot(bank, f"dealroom-{run}-06-bank-after-withdrawal")
    finally:
        bank_context.close()
        firm_context.close()

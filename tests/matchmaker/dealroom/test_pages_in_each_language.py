"""The deal room's pages and the office's new pages, in Chinese with no English word of
ours, and in English with no Chinese (the same checks as every other page)."""

import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from matchmaker.dealroom import revisit, services
from matchmaker.dealroom.models import ChecklistItem, DealRoom
from matchmaker.matching import scoring, stacks
from matchmaker.models import Introduction
from matchmaker.review.introductions import introduction_answer
from tests.factories import OfferingFactory
from tests.matchmaker.dealroom.helpers import ensure_checklists
from tests.matchmaker.test_pages_in_each_language import english_words_of_ours, visible_text
from tests.pages import world

pytestmark = pytest.mark.django_db

WORDS = {
    True: {
        "answer": "见第三页。",
        "reason": "尚未设立董事会。",
        "subject": "担保物",
        "body": "是否已抵押？",
    },
    False: {
        "answer": "See page 3.",
        "reason": "No board yet.",
        "subject": "Collateral",
        "body": "Pledged?",
    },
}


def room_pages(chinese: bool):
    """(role, url, visible text) of each new page, in a world of one language."""
    firm_member, institution_member, operator, project, offering, match = world(chinese)
    firm_user, bank_user = firm_member.user, institution_member.user
    words = WORDS[chinese]
    ensure_checklists()
    introduction_answer(
        introduction=Introduction.objects.get(match=match), by=firm_user, accept=True
    )
    room = DealRoom.objects.get(introduction__match=match)
    items = services.item_requests_create(
        room=room,
        checklist_items=list(ChecklistItem.objects.filter(kind="fund")),
        due_on=timezone.localdate(),
        by=bank_user,
    )
    services.item_request_answer(item=items[0], kind="text", text=words["answer"], by=firm_user)
    services.item_request_answer(
        item=items[1], kind="not_applicable", text=words["reason"], by=firm_user
    )
    thread = services.thread_start(
        room=room, subject=words["subject"], body=words["body"], by=bank_user
    )
    services.message_post(thread=thread, body=words["answer"], by=firm_user)
    second = OfferingFactory(institution=offering.institution, name=offering.name + "2")
    scoring.score_project(project.pk)
    with translation.override("zh-hans" if chinese else "en"):  # packages store their words
        stacks.rebuild_packages(project.pk)
    declined = project.matches.get(offering=second)
    revisit.match_decline_not_now(
        match=declined, reason="other", note=words["reason"], kind="first_flight", by=bank_user
    )
    pages = {
        firm_user: [
            "/rooms/",
            f"/rooms/{room.pk}/",
            f"/rooms/threads/{thread.pk}/",
            "/firm/introductions/",
            f"/firm/matches/{declined.pk}/",
            f"/firm/projects/{project.pk}/matches/",
        ],
        bank_user: [
            "/rooms/",
            f"/rooms/{room.pk}/",
            f"/rooms/threads/{thread.pk}/",
            f"/institution/matches/{match.pk}/",
        ],
        operator: [
            "/operator/access/",
            f"/operator/access/?firm={project.firm_id}",
            "/operator/answers/",
            "/operator/answers/?who=all",
        ],
    }
    names = [firm_user.get_username(), bank_user.get_username(), operator.get_username()]
    for user, urls in pages.items():
        client = Client()
        client.force_login(user)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN" if chinese else "en")
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            for name in names:
                text = text.replace(name, "")
            text = re.sub(r"\S+@\S+", "", text)  # contacts' e-mail addresses are data
            yield url, text.replace("上海", "")


def test_the_new_pages_in_chinese_show_no_english_of_ours():
    for url, text in room_pages(chinese=True):
        assert english_words_of_ours(text) == [], (url, english_words_of_ours(text))


def test_the_new_pages_in_english_show_no_chinese_but_the_switch():
    for url, text in room_pages(chinese=False):
        chinese = re.findall(
            r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text.replace("中文", "")
        )
        assert chinese == [], (url, chinese)

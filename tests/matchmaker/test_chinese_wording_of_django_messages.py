"""Django's own messages on our pages read as the rest of the site in Chinese: our words,
您, full-width punctuation; two different buttons never share a label; the admin names
every app and model in Chinese."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaker.models import Profile
from projects.models import Project
from tests.projects.test_project_form import BASICS

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
MACHINE_WORDING = ("确保该", "这个字段", "你的", "(现在为", "选择一个有效的选项")


def test_signup_password_hints_say_nin_not_ni(client):
    page = client.get(reverse("signup"), **ZH).content.decode()
    assert "您的密码至少需要 8 个字符。" in page
    assert "你的" not in page


def test_form_limits_in_chinese_are_worded_as_ours(firm_client, firm_member):
    Profile.objects.create(user=firm_member.user, language="zh-hans")
    response = firm_client.post(reverse("projects:create"), {**BASICS, "trl": "12"})
    text = response.content.decode()
    assert Project.objects.count() == 0
    assert "请输入不超过 9 的数值。" in text
    assert not any(words in text for words in MACHINE_WORDING)
    response = firm_client.post(reverse("projects:create"), {**BASICS, "segment": "x"})
    text = response.content.decode()
    assert "请从列表中选择：“x”不是可选项。" in text
    assert not any(words in text for words in MACHINE_WORDING)


def test_signup_errors_in_chinese_use_full_width_punctuation(client):
    response = client.post(
        reverse("signup"),
        {"username": "a b", "password1": "12345678", "password2": "87654321"},
        **ZH,
    )
    text = response.content.decode()
    assert "两次输入的密码不一致。" in text or "密码不能全为数字。" in text
    assert not any(words in text for words in MACHINE_WORDING)


def test_close_offering_and_turn_off_learning_read_differently_in_chinese():
    with translation.override("zh-hans"):
        close, turn_off = translation.gettext("Close"), translation.gettext("Turn off")
    assert close != turn_off
    assert (close, turn_off) == ("关闭产品", "停用")


def test_the_admin_names_every_app_and_model_in_chinese(operator_client):
    page = operator_client.get(reverse("admin:index"), **ZH).content.decode()
    for english in ("Celery Results", "CELERY RESULTS", "Task results", "pending scorings"):
        assert english.lower() not in page.lower(), english
    assert "后台任务结果" in page and "待评分任务" in page
    captions = re.findall(r'<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', page)
    assert captions and all(re.search(r"[\u4e00-\u9fff]", c) for c in captions), captions

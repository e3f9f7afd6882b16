"""Choosing the language: a switcher on every page, saved on the profile and in a cookie;
a first visit follows the browser; the deployment sets the default."""

import pytest
from django.conf import settings
from django.urls import reverse

from matchmaker.models import Profile
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_offers_the_switch(client, url):
    page = client.get(url).content.decode()
    assert 'action="/language/"' in page
    assert 'value="zh-hans" lang="zh-Hans"' in page and ">中文</button>" in page
    assert ">English</button>" in page


def test_a_first_visit_follows_the_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content
    assert "登录" in page.decode() and '<html lang="zh-hans">' in page.decode()
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Log in" in english


def test_the_deployment_sets_the_default_for_browsers_that_say_nothing(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_the_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.post("/language/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_a_signed_in_choice_is_saved_and_follows_the_user_to_a_new_device(firm_member):
    first_device = logged_in_client(firm_member.user)
    first_device.post("/language/", {"language": "zh-hans", "next": "/"})
    assert Profile.objects.get(user=firm_member.user).language == "zh-hans"
    second_device = logged_in_client(firm_member.user)  # no cookie, an English browser
    page = second_device.get(reverse("projects:list"), HTTP_ACCEPT_LANGUAGE="en").content
    assert '<html lang="zh-hans">' in page.decode() and "新建项目" in page.decode()


def test_an_unknown_language_changes_nothing(client, firm_member):
    response = logged_in_client(firm_member.user).post("/language/", {"language": "xx"})
    assert response.status_code == 302
    assert not Profile.objects.exists()

"""The office's work is in its menu and on its landing page: verification queue, market,
weights, declines, re-scores, answers on time and the access record."""

import pytest
from django.urls import reverse

from matchmaker.operator import menu
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db

WORK = [
    "verification",
    "market",
    "weights",
    "declines",
    "scoring_runs",
    "answers",
    "access_audit",
]


def test_the_landing_page_lists_the_office_work_and_the_queue(operator_client):
    FirmFactory(verified=False)
    FirmFactory(verified=False)
    page = operator_client.get(reverse("home")).content.decode()
    for name in WORK:
        assert f'<h2><a href="{reverse("operator:" + name)}">' in page, name
    assert "2 organisations wait for verification." in page
    assert "Open the administration to verify organisations." not in page


def test_every_operator_page_has_the_whole_menu(operator_client):
    for name in WORK:
        page = operator_client.get(reverse("operator:" + name)).content.decode()
        nav = page[page.index("<nav") : page.index("</nav>")]
        for target in WORK:
            assert f'href="{reverse("operator:" + target)}"' in nav, (name, target)
        assert 'aria-current="page"' in nav


def test_a_page_without_an_address_yet_is_left_out_and_appears_once_it_has_one(monkeypatch):
    future = menu.OfficePage("operator:not_built_yet", "Later", "A page still being built.")
    monkeypatch.setattr(menu, "OFFICE_PAGES", (*menu.OFFICE_PAGES, future))
    assert "/operator/later/" not in [page["url"] for page in menu.office_pages()]
    real_reverse = menu.reverse

    def with_it(name, *args, **kwargs):
        return "/operator/later/" if name == "operator:not_built_yet" else real_reverse(name)

    monkeypatch.setattr(menu, "reverse", with_it)
    assert "/operator/later/" in [page["url"] for page in menu.office_pages()]


def test_firm_and_institution_menus_carry_no_office_pages(firm_client):
    page = firm_client.get(reverse("home")).content.decode()
    assert reverse("operator:weights") not in page

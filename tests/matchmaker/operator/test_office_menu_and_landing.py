"""The office's work is in its menu and on its landing page: verification queue, market,
weights, declines, re-scores (and the audit log once its page exists)."""

import pytest
from django.urls import reverse

from matchmaker.operator import menu
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db

WORK = ["verification", "market", "weights", "declines", "scoring_runs"]


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
    names = [page["url"] for page in menu.office_pages()]
    assert "/operator/audit/" not in names  # the audit view is being built elsewhere
    real_reverse = menu.reverse

    def with_audit(name, *args, **kwargs):
        return "/operator/audit/" if name == "operator:audit" else real_reverse(name)

    monkeypatch.setattr(menu, "reverse", with_audit)
    assert "/operator/audit/" in [page["url"] for page in menu.office_pages()]


def test_firm_and_institution_menus_carry_no_office_pages(firm_client):
    page = firm_client.get(reverse("home")).content.decode()
    assert reverse("operator:weights") not in page

"""The offering form in Chromium: product types follow the chosen instrument."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import InstitutionMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_product_types_follow_the_chosen_instrument(page, live_server, screenshot):
    member = InstitutionMemberFactory()
    log_in(page, live_server, member.user.username)
    page.goto(f"{live_server.url}/offerings/new/")
    product = page.get_by_label("Product type")
    page.get_by_label("Instrument").select_option("credit")
    offered = product.locator("option:not([disabled])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert offered == [
        "",
        "term_loan",
        "rnd_loan",
        "equipment_finance",
        "ip_pledge_loan",
        "supply_chain_finance",
        "working_capital",
        "credit_guarantee",
    ]
    product.select_option("term_loan")
    page.get_by_label("Instrument").select_option("risk_cover")
    assert product.input_value() == ""  # a credit product never stays under risk cover
    screenshot(page, "40-offering-form-risk-cover")

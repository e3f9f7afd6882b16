"""The evaluation market covers the financiers the deals compiled after the setting found
missing (#25, ninth pass): a local state fund in every province of China, state
capability funds abroad for their own countries' firms, UK Export Finance among the
export-credit agencies; and (tenth pass) the EIB's venture debt on its published terms: no
revenue screen (space is one of the strategic areas for which it takes pre-commercial
firms) and tickets from EUR 5 million; the international venture fund's largest ticket,
US$50 million ("bigger numbers usually out of a growth fund"); (eleventh pass) the EIB's
sweet spot where its terms put it, the commercial stage."""

from dataclasses import replace

from matchmaker.evaluation import deals
from matchmaker.vocabulary import CHINA_PROVINCES


def ranked_kinds(deal, market, tables) -> list[str]:
    return [market[column].kind for column in deals.ranking(deal, tables)]


def setup():
    market = deals.load_market()
    tables = deals.OfferingTables(deals.encode_offerings([o.facts for o in market]))
    return market, tables, {deal.id: deal for deal in deals.load_deals(market)}


def test_every_province_of_china_has_a_local_state_fund_with_the_same_terms():
    market, tables, by_id = setup()
    local = [o for o in market if o.kind == "local_state_fund"]
    served = {
        code
        for offering in local
        for code, index in deals.encoding.PROVINCE.items()
        if index in offering.facts.presence
    }
    assert set(CHINA_PROVINCES) <= served
    terms = {replace(o.facts, presence=frozenset()) for o in local}
    assert len(terms) == 1  # one set of terms, only the province differs
    for deal_id in ("xinghuo-space-2026-angel-plus", "geespace-2025-zhejiang-fund"):
        assert "local_state_fund" in ranked_kinds(by_id[deal_id], market, tables), deal_id


def test_a_state_capability_fund_abroad_invests_in_its_own_countries_firms_at_home_only():
    market, tables, by_id = setup()
    for deal_id in ("orbex-2022-series-c", "orbex-2024-series-c-extension"):
        assert "national_state_fund" in ranked_kinds(by_id[deal_id], market, tables)[:3]
    orbex = by_id["orbex-2022-series-c"]
    american = replace(
        orbex.project,
        registered_country=by_id["relativity-space-2021-series-e"].project.registered_country,
    )
    assert "national_state_fund" not in ranked_kinds(
        replace(orbex, project=american), market, tables
    )
    built_abroad = replace(orbex.project, works_country=american.registered_country)
    assert "national_state_fund" not in ranked_kinds(
        replace(orbex, project=built_abroad), market, tables
    )


def test_uk_export_finance_backs_foreign_buyers_of_uk_built_satellites():
    market, tables, by_id = setup()
    turksat = by_id["turksat-5a-5b-2019-ukef"]
    assert "export_credit" in ranked_kinds(turksat, market, tables)[:3]
    at_home = replace(turksat.project, registered_country=turksat.project.works_country)
    assert "export_credit" not in ranked_kinds(replace(turksat, project=at_home), market, tables)


def test_the_eib_lends_venture_debt_to_a_pre_revenue_eu_space_firm_but_not_outside_the_eu():
    market, tables, by_id = setup()
    sateliot = by_id["sateliot-2024-eib-venture-debt"]  # pre-revenue, Spain, EUR 30 M
    assert sateliot.project.revenue_status == deals.encoding.REVENUE_STATUS["pre_revenue"]
    assert "state_lender" in ranked_kinds(sateliot, market, tables)[:3]
    gomspace = by_id["gomspace-2022-eib-credit-facility"]  # EUR 18 M, revenue not stated
    assert "state_lender" in ranked_kinds(gomspace, market, tables)[:3]
    small = replace(gomspace.project, needs=(0, 39_000_000, 0))  # EUR 5 M, the floor
    assert "state_lender" in ranked_kinds(replace(gomspace, project=small), market, tables)
    outside = replace(
        sateliot.project,
        registered_country=by_id["relativity-space-2021-series-e"].project.registered_country,
    )
    assert "state_lender" not in ranked_kinds(replace(sateliot, project=outside), market, tables)


def test_the_eib_centres_on_earning_eu_firms_and_still_takes_pre_commercial_ones():
    market, tables, by_id = setup()
    (eib,) = [o for o in market if "EIB" in o.name]
    assert eib.facts.preferred_stage == deals.encoding.STAGE["commercial"]
    assert eib.facts.preferred_trl == 9
    # Avio (Italy), flown and earning, EUR 50 M for propulsion research: the EIB led it
    assert ranked_kinds(by_id["avio-2017-eib-propulsion-rdi"], market, tables)[0] == (
        "state_lender"
    )
    # SES (Luxembourg), EUR 125 M for three satellites built abroad
    assert (
        "state_lender"
        in ranked_kinds(by_id["ses-2025-credit-eib-global-o3b-mpower"], market, tables)[:3]
    )
    # Sateliot, pre-revenue: still matched, within the top three
    sateliot = by_id["sateliot-2024-eib-venture-debt"]
    assert "state_lender" in ranked_kinds(sateliot, market, tables)[:3]


def test_sovereign_funds_centre_on_growth_capital_and_still_take_earlier_rounds():
    """The IFSWF's count of sovereign funds' venture deals (2018: 27 at growth capital, 19
    early, 14 late): their sweet spot is a product that works and scales, not a first
    flight. Rounds around a first flight that venture, growth and national funds led no
    longer put a sovereign fund first; a firm before its first flight still finds one."""
    market, tables, by_id = setup()
    (sovereign,) = [o for o in market if o.kind == "sovereign_wealth"]
    assert sovereign.facts.preferred_stage == deals.encoding.STAGE["production_ramp"]
    assert sovereign.facts.preferred_trl == 9
    first = {
        "kepler-2023-series-c": "venture_capital",  # IA Ventures, US$92 M
        "gilmour-space-series-e-nrfc-hostplus": "national_state_fund",  # NRF Corporation
        "relativity-space-2021-series-e": "growth_equity",  # Fidelity, US$650 M
    }
    for deal_id, kind in first.items():
        kinds = ranked_kinds(by_id[deal_id], market, tables)
        assert kinds[0] == kind, (deal_id, kinds)
        assert "sovereign_wealth" in kinds[:3], (deal_id, kinds)


def test_a_venture_fund_abroad_puts_at_most_50_million_dollars_in_and_leads_up_to_five_times():
    market, tables, by_id = setup()
    (venture,) = [o for o in market if o.name.startswith("Venture fund, international")]
    assert venture.facts.ticket_max == 350_000_000  # US$50 M at the set's rate of 7
    # The Exploration Company's EUR 150 M Series B: a venture fund can take the lead share
    assert ranked_kinds(by_id["exploration-company-2024-series-b"], market, tables)[0] == (
        "venture_capital"
    )
    # Stoke's US$510 M Series D: no venture fund can lead it, so one ranks below the funds
    # that can (the growth fund that led it among them)
    stoke = ranked_kinds(by_id["stoke-series-d-usit"], market, tables)
    assert stoke.index("growth_equity") < stoke.index("venture_capital")

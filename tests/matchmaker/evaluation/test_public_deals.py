"""The evaluation set: public deals with sources, a market from mandates, and the real
engine meeting the goals on the held-out third with the committed calibration."""

import json
from dataclasses import replace

import pytest

from matchmaker.engine import reference
from matchmaker.evaluation import deals
from matchmaker.vocabulary import FlightRecord, Instrument, Province, RevenueStatus, Segment

DATA = json.loads(deals.DEALS.read_text())
MARKET_DATA = json.loads(deals.MARKET.read_text())
KINDS = {
    "venture_capital",
    "growth_equity",
    "sovereign_wealth",
    "national_state_fund",
    "local_state_fund",
    "commercial_bank",
    "state_lender",
    "export_credit",
    "private_credit",
    "insurer",
}


def test_at_least_thirty_deals_each_with_sources_and_known_codes():
    rows = DATA["deals"]
    assert len(rows) >= 30
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["sources"] and all(s.startswith("http") for s in row["sources"]), row["id"]
        assert row["instrument"] in Instrument.values
        assert row["segment"] in Segment.values
        assert row["flight_record"] in [*FlightRecord.values, None]
        assert row["revenue_status"] in [*RevenueStatus.values, None]
        assert {row["province"], row["registered_province"]} <= set(Province.values)
        assert set(row["lead_kinds"]) <= KINDS and row["lead"]
        assert row["amount_rmb"] is None or row["amount_rmb"] > 0


def test_the_set_spans_chinese_and_international_equity_loans_export_credit_and_insurance():
    rows = DATA["deals"]
    kinds = {kind for row in rows for kind in row["lead_kinds"]}
    assert {"venture_capital", "commercial_bank", "export_credit", "insurer"} <= kinds
    assert {row["instrument"] for row in rows} == set(Instrument.values)
    abroad = [row for row in rows if row["registered_province"] == "abroad"]
    assert 0 < len(abroad) < len(rows)


def test_every_market_offering_cites_its_mandate():
    for row in MARKET_DATA["offerings"]:
        assert row["kind"] in KINDS and row["mandate"] and row["sources"], row["name"]


def test_the_split_keeps_a_third_out_of_calibration():
    market = deals.load_market()
    calibration, held_out = deals.split(deals.load_deals(market))
    assert len(held_out) == len(DATA["deals"]) // 3
    assert not {d.id for d in calibration} & {d.id for d in held_out}


def test_the_held_out_third_meets_the_goals_with_the_committed_calibration():
    market = deals.load_market()
    _calibration, held_out = deals.split(deals.load_deals(market))
    report = deals.evaluate(held_out, market)
    assert report.hit_at_1 >= 0.8, report.misses
    assert report.hit_at_3 >= 0.95
    assert report.false_match_rate == 0.0


def test_the_ranking_is_the_reference_engines_order():
    """The evaluation runs the real (vectorised) engine; its order is the reference's."""
    market = deals.load_market()
    tables = deals.OfferingTables(deals.encode_offerings([o.facts for o in market]))
    for deal in deals.load_deals(market):
        ranked = deals.ranking(deal, tables)
        scores = [reference.score(deal.project, market[i].facts) for i in ranked]
        assert all(score is not None for score in scores)
        assert scores == pytest.approx(sorted(scores, reverse=True), abs=1e-3)


def test_an_unknown_status_reads_as_the_most_cautious():
    row = next(row for row in DATA["deals"] if row["revenue_status"] is None)
    project = deals.project_of(row, DATA["typical_amounts"])
    assert project.revenue_status == 0
    known = deals.project_of({**row, "revenue_status": "profitable"}, DATA["typical_amounts"])
    assert replace(known, revenue_status=0) == project


def test_calibration_starts_from_todays_setting_and_never_does_worse(monkeypatch):
    weights, values, report = deals.calibrate(samples=3, seed=1)
    market = deals.load_market()
    calibration, _held_out = deals.split(deals.load_deals(market))
    today = deals.evaluate(calibration, market)
    assert deals.objective(report) >= deals.objective(today)
    assert set(weights) == set(deals.CRITERIA) and set(values) == set(deals.CURVES)

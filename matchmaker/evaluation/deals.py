"""The real engine held against public deals: does it rank first the kind of financier
that really led?

`public_deals.json` holds the deals (facts and sources), `market.json` the offerings built
from financiers' published mandates. A deal becomes a project that seeks the deal's amount
in the deal's instrument; the engine ranks the market's offerings for it with the same
tables the Celery tasks use (`engine.blocks`). Facts a deal does not give are derived by
the rules in `project_of`, the same for every deal; a status the sources leave open is read
as the most conservative (nothing flown, pre-revenue).

Measures, per deal, then averaged:
- hit@1 / hit@3: an offering of a kind that really led is ranked first / in the top three;
- NDCG@10: gain 1 for each offering of a leading kind, by rank;
- false matches: a deal is probed for every instrument; an offering of a kind the public
  patterns say would not finance this firm (`would_not_finance`) that is matched anyway
  counts; the rate is over all such probes.

Every third deal (in file order) is held out of calibration (`calibrate`).
"""

import json
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from matchmaker.engine import rules
from matchmaker.engine.blocks import OfferingTables
from matchmaker.engine.facts import (
    CRITERIA,
    OfferingFacts,
    ProjectFacts,
    encode_offerings,
    encode_projects,
)
from matchmaker.matching import encoding
from matchmaker.vocabulary import CHINA_PROVINCES, Exposure, Province, Region, Segment

HERE = Path(__file__).resolve().parent
DEALS = HERE / "public_deals.json"
MARKET = HERE / "market.json"
HELD_OUT_EVERY = 3
TOP = 10

# What a firm's flight record says of its stage and TRL (ISO 16290: 7 = demonstrated in
# the operational environment, 8 = flight-qualified, 9 = proven in operation).
STAGE_BY_FLIGHT = {
    "not_flown": "qualification",
    "earlier_products": "qualification",
    "first_flight": "first_flight",
    "flight_proven": "production_ramp",
}
TRL_BY_FLIGHT = {"not_flown": 6, "earlier_products": 7, "first_flight": 8, "flight_proven": 9}


@dataclass(frozen=True)
class Deal:
    id: str
    instrument: str
    lead_kinds: frozenset[str]
    project: ProjectFacts
    would_not_finance: frozenset[str]


@dataclass(frozen=True)
class MarketOffering:
    name: str
    kind: str
    facts: OfferingFacts


def _places(codes: list[str]) -> list[str]:
    return [code for item in codes for code in (CHINA_PROVINCES if item == "china" else [item])]


def project_of(row: dict, typical: dict) -> ProjectFacts:
    """The engine's project for a deal, by the same derivation rules for every deal."""
    flight = row["flight_record"] or "not_flown"
    revenue = row["revenue_status"] or "pre_revenue"
    stage = STAGE_BY_FLIGHT[flight]
    if revenue != "pre_revenue" and flight == "flight_proven":
        stage = "commercial"
    # The financed product earns once it flies: 36 months before a first flight (build and
    # launch), 24 after one; a proven product earns now. Break-even follows five years
    # after first revenue (two for a product already earning), at once when profitable.
    flown = flight in ("first_flight", "flight_proven")
    proven = flight == "flight_proven"
    months_to_revenue = 0 if proven else (24 if flown else 36)
    break_even = (0 if revenue == "profitable" else 24) if proven else months_to_revenue + 60
    exposures = {Exposure.LAUNCH_FAILURE}
    if not flown:
        exposures.add(Exposure.FIRST_OF_KIND)
    if row["segment"] == Segment.LAUNCH:
        exposures.add(Exposure.THIRD_PARTY_LIABILITY)
    else:
        exposures.add(Exposure.IN_ORBIT_FAILURE)
    amount = row["amount_rmb"] or typical[row["instrument"]]["amount_rmb"]
    needs = tuple(amount if code == row["instrument"] else 0 for code in encoding.INSTRUMENT)
    province = row["province"]
    region = row.get("district") or (
        Region.OTHER_SHANGHAI if province == Province.SHANGHAI else Region.OTHER_CHINA
    )
    fields = {
        "segment": row["segment"],
        "stage": stage,
        "trl": TRL_BY_FLIGHT[flight],
        "months_to_revenue": months_to_revenue,
        "months_to_break_even": break_even,
        "exposures": sorted(exposures),
        "collateral": [],
        "region": region,
        "flight_record": flight,
        "revenue_status": revenue,
        "round_role": "lead" if row["instrument"] == "equity" else "either",
        "registered_province": row["registered_province"],
        "province": province,
    }
    return encoding.facts_from_row(fields, needs)


def maturity(row: dict) -> tuple[int, int]:
    """(flight record, revenue status) as ordinals; unknown reads as the least mature."""
    return (
        encoding.FLIGHT_RECORD[row["flight_record"] or "not_flown"],
        encoding.REVENUE_STATUS[row["revenue_status"] or "pre_revenue"],
    )


def least_mature_financed(rows: list[dict]) -> dict[str, list[tuple[int, int]]]:
    """For each kind of lead, the maturities of the firms it financed in the deals."""
    financed: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        for kind in row["lead_kinds"]:
            financed.setdefault(kind, []).append(maturity(row))
    return financed


def would_not_finance(
    row: dict, market: list[MarketOffering], financed: dict[str, list[tuple[int, int]]]
) -> frozenset[str]:
    """Kinds the deals show would not finance this firm (never its real lead): a kind whose
    every financed firm was more mature (flown further and earning more, one of them
    strictly); and an offering that asks for local presence (a local state fund, a state
    lender, an export-credit agency) where the firm is neither registered nor works."""
    mine = maturity(row)
    kinds = {
        kind
        for kind, maturities in financed.items()
        if all(mine[0] <= f and mine[1] <= r and mine != (f, r) for f, r in maturities)
    }
    places = {row["registered_province"], row["province"]}
    for offering in market:
        presence = {Province.values[i] for i in offering.facts.presence}
        tied = offering.kind in ("local_state_fund", "state_lender", "export_credit")
        if tied and presence and not places & presence:
            kinds.add(f"{offering.kind}:{offering.name}")
    return frozenset(kinds - set(row["lead_kinds"]))


def load_market(path: Path = MARKET, weights: dict | None = None) -> list[MarketOffering]:
    weights = weights or default_weights()
    offerings = []
    for row in json.loads(path.read_text())["offerings"]:
        instrument = encoding.INSTRUMENT[row["instrument"]]
        facts = OfferingFacts(
            instrument=instrument,
            ticket_min=row["ticket_min"],
            ticket_max=row["ticket_max"],
            capacity_left=row["ticket_max"] * 20,
            max_tenor_months=row["max_tenor_months"],
            weights=tuple(weights[name] for name in CRITERIA),
            trl_min=row["trl_min"],
            trl_max=row["trl_max"],
            appetite=encoding.APPETITE[row["risk_appetite"]],
            exposures_covered=frozenset(
                encoding.EXPOSURE[code] for code in row.get("exposures_covered", [])
            ),
            preferred_stage=encoding.STAGE[row["preferred_stage"]]
            if row.get("preferred_stage")
            else -1,
            preferred_trl=row.get("preferred_trl", 0),
            preferred_ticket=row.get("preferred_ticket", 0),
            min_flight_record=encoding.FLIGHT_RECORD[row.get("min_flight_record", "not_flown")],
            min_revenue_status=encoding.REVENUE_STATUS[
                row.get("min_revenue_status", "pre_revenue")
            ],
            round_role=encoding.OFFERING_ROLE[row.get("round_role", "flexible")],
            presence=frozenset(encoding.PROVINCE[code] for code in _places(row["presence"])),
            line_share=row.get("line_share", 100) / 100,
        )
        offerings.append(MarketOffering(row["name"], row["kind"], facts))
    return offerings


def load_deals(market: list[MarketOffering], path: Path = DEALS) -> list[Deal]:
    data = json.loads(path.read_text())
    financed = least_mature_financed(data["deals"])
    return [
        Deal(
            id=row["id"],
            instrument=row["instrument"],
            lead_kinds=frozenset(row["lead_kinds"]),
            project=project_of(row, data["typical_amounts"]),
            would_not_finance=would_not_finance(row, market, financed),
        )
        for row in data["deals"]
    ]


def default_weights() -> dict[str, float]:
    from matchmaker.models import DEFAULT_WEIGHTS

    return {str(name): float(weight) for name, weight in DEFAULT_WEIGHTS.items()}


def split(deals: list[Deal]) -> tuple[list[Deal], list[Deal]]:
    """(calibration, held out): every third deal in file order is held out."""
    held = [d for i, d in enumerate(deals) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    return [d for d in deals if d not in held], held


def scored(deal: Deal, tables: OfferingTables) -> tuple[np.ndarray, np.ndarray]:
    """(market positions, scores) of the offerings the engine matches to the deal, best
    first (ties in market order)."""
    _rows, columns, scores = tables.eligible_scores(encode_projects([deal.project]))
    order = np.lexsort((columns, -scores.astype(np.float64)))
    return columns[order], scores[order]


def ranking(deal: Deal, tables: OfferingTables) -> list[int]:
    """Market positions of the offerings the engine matches to the deal, best first."""
    return scored(deal, tables)[0].tolist()


def _probe_matches(deal: Deal, market: list[MarketOffering], tables: OfferingTables) -> int:
    """Probes of kinds that would not finance this firm which the engine matches anyway,
    with the firm seeking every instrument."""
    probe = replace(deal.project, needs=(max(deal.project.needs),) * 3)
    _rows, columns, _scores = tables.eligible_scores(encode_projects([probe]))
    matched = {market[c].kind for c in columns} | {
        f"{market[c].kind}:{market[c].name}" for c in columns
    }
    return len(deal.would_not_finance & matched)


@dataclass
class Report:
    deals: int
    hit_at_1: float
    hit_at_3: float
    ndcg_at_10: float
    false_match_rate: float
    misses: list[str]
    spread: float = 0.0  # mean gap between the best and the worst match of a deal, 0–100

    def as_dict(self) -> dict:
        return {
            "deals": self.deals,
            "hit_at_1": round(self.hit_at_1, 3),
            "hit_at_3": round(self.hit_at_3, 3),
            "ndcg_at_10": round(self.ndcg_at_10, 3),
            "false_match_rate": round(self.false_match_rate, 3),
            "score_spread": round(self.spread, 1),
            "missed_at_1": self.misses,
        }


def _ndcg(relevant: list[bool], total_relevant: int) -> float:
    gains = sum(1 / math.log2(rank + 2) for rank, hit in enumerate(relevant[:TOP]) if hit)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(total_relevant, TOP)))
    return gains / ideal if ideal else 0.0


def evaluate(deals: list[Deal], market: list[MarketOffering]) -> Report:
    tables = OfferingTables(encode_offerings([offering.facts for offering in market]))
    hits1 = hits3 = ndcg = 0.0
    probes = false_matches = 0
    misses = []
    spreads = []
    for deal in deals:
        columns, scores = scored(deal, tables)
        if len(scores) > 1:
            spreads.append(float(scores[0] - scores[-1]))
        ranked_kinds = [market[c].kind for c in columns.tolist()]
        relevant = [kind in deal.lead_kinds for kind in ranked_kinds]
        hits1 += bool(relevant[:1] and relevant[0])
        hits3 += any(relevant[:3])
        leading = sum(
            offering.kind in deal.lead_kinds
            and offering.facts.instrument == encoding.INSTRUMENT[deal.instrument]
            for offering in market
        )
        ndcg += _ndcg(relevant, leading)
        if not (relevant[:1] and relevant[0]):
            misses.append(f"{deal.id} → {ranked_kinds[0] if ranked_kinds else 'nothing'}")
        probes += len(deal.would_not_finance)
        false_matches += _probe_matches(deal, market, tables)
    count = max(len(deals), 1)
    return Report(
        deals=len(deals),
        hit_at_1=hits1 / count,
        hit_at_3=hits3 / count,
        ndcg_at_10=ndcg / count,
        false_match_rate=false_matches / probes if probes else 0.0,
        misses=misses,
        spread=float(np.mean(spreads)) if spreads else 0.0,
    )


# What calibration may move: the criteria's default weights and the curves' steps.
CURVES = {
    "STAGE_STEP": (0.05, 0.5),
    "TRL_STEP": (0.05, 0.4),
    "TICKET_SPOT_SLOPE": (0.1, 1.0),
    "TICKET_SPOT_SHARE": (0.2, 0.8),
}
WEIGHT_RANGE = (0.0, 3.0)


def current_curves() -> dict[str, float]:
    return {name: getattr(rules, name) for name in CURVES}


@contextmanager
def curves(values: dict[str, float]) -> Iterator[None]:
    """The engine's curve constants set to `values` for the duration (calibration only)."""
    saved = {name: getattr(rules, name) for name in values}
    for name, value in values.items():
        setattr(rules, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(rules, name, value)


def objective(report: Report) -> float:
    """What calibration maximises: first places above all, then the whole order, then
    scores that spread (points every eligible pair gets alike only bunch the scores)."""
    return (
        report.hit_at_1
        + 0.5 * report.hit_at_3
        + 0.5 * report.ndcg_at_10
        + 0.2 * report.spread / 100
    )


def calibrate(samples: int = 400, seed: int = 11) -> tuple[dict, dict, Report]:
    """Random search over weights and curves on the calibration deals only: returns the
    best (weights, curves) and its calibration report. Ties keep the earlier (simpler)
    candidate, and the first candidate is today's setting."""
    rng = random.Random(seed)
    today = current_curves()
    best = None
    for sample in range(samples):
        if sample == 0:
            weights, values = default_weights(), today
        else:
            weights = {name: round(rng.uniform(*WEIGHT_RANGE), 1) for name in CRITERIA}
            values = {name: round(rng.uniform(*span), 2) for name, span in CURVES.items()}
        market = load_market(weights=weights)
        calibration, _held_out = split(load_deals(market))
        with curves(values):
            report = evaluate(calibration, market)
        if best is None or objective(report) > objective(best[2]) + 1e-9:
            best = (weights, values, report)
    return best

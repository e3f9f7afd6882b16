"""Projects and offerings from the ORM as engine facts (codes become indices).

With `scoring.py` and `stacks.py` this is the adapter between the ORM and
`matchmaker.engine`: the only modules that import the engine.
"""

from dataclasses import replace

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch

from investors.models import Offering
from investors.selectors import live_offerings
from matchmaker.engine import facts as engine_facts
from matchmaker.engine import reference, rules, syndicate
from matchmaker.engine.facts import OfferingFacts, ProjectFacts, normalised_weights
from matchmaker.models import LearnedWeights
from matchmaker.programme import selectors as programme
from matchmaker.vocabulary import (
    CHINA,
    Collateral,
    Country,
    Criterion,
    Exposure,
    FlightRecord,
    InstitutionType,
    Instrument,
    OfferingRole,
    Province,
    Region,
    RevenueStatus,
    RiskAppetite,
    RoundRole,
    Segment,
    Stage,
)
from projects.models import FundingNeed, Project
from projects.selectors import matchable_projects as submitted_projects

# Every engine size and the vocabulary it must equal ("none" collateral is the empty set).
ENGINE_SIZES = {
    "N_SEGMENTS": len(Segment),
    "N_STAGES": len(Stage),
    "N_REGIONS": len(Region),
    "N_EXPOSURES": len(Exposure),
    "N_COLLATERAL": len(Collateral) - 1,
    "N_INSTRUMENTS": len(Instrument),
    "N_APPETITES": len(RiskAppetite),
    "N_PROVINCES": len(Province),
    "N_FLIGHT_RECORDS": len(FlightRecord),
    "N_REVENUE_STATUSES": len(RevenueStatus),
    "N_ROUND_ROLES": len(RoundRole),
    "N_OFFERING_ROLES": len(OfferingRole),
    "N_CRITERIA": len(Criterion),
    "N_COUNTRIES": len(Country),
}


def engine_size_mismatches() -> list[str]:
    """Where `engine/facts.py` and `vocabulary.py` disagree, in words; empty when they agree."""
    problems = [
        f"engine {name} = {getattr(engine_facts, name)}, vocabulary has {size}"
        for name, size in ENGINE_SIZES.items()
        if getattr(engine_facts, name) != size
    ]
    if tuple(engine_facts.CRITERIA) != tuple(Criterion.values):
        problems.append("engine CRITERIA order differs from vocabulary.Criterion")
    if Instrument.values.index(Instrument.RISK_COVER) != engine_facts.RISK_COVER:
        problems.append("engine RISK_COVER index differs from vocabulary.Instrument")
    if RoundRole.values.index(RoundRole.EITHER) != engine_facts.ROLE_EITHER:
        problems.append("engine ROLE_EITHER index differs from vocabulary.RoundRole")
    if OfferingRole.values.index(OfferingRole.FLEXIBLE) != engine_facts.ROLE_FLEXIBLE:
        problems.append("engine ROLE_FLEXIBLE index differs from vocabulary.OfferingRole")
    return problems


if engine_size_mismatches():
    raise ImproperlyConfigured("; ".join(engine_size_mismatches()))


def _index(choices) -> dict[str, int]:
    return {code: position for position, code in enumerate(choices.values)}


SEGMENT = _index(Segment)
STAGE = _index(Stage)
REGION = _index(Region)
EXPOSURE = _index(Exposure)
INSTRUMENT = _index(Instrument)
APPETITE = _index(RiskAppetite)
PROVINCE = _index(Province)
FLIGHT_RECORD = _index(FlightRecord)
REVENUE_STATUS = _index(RevenueStatus)
ROUND_ROLE = _index(RoundRole)
OFFERING_ROLE = _index(OfferingRole)
# Country keys (#25): 0 is unknown, then each ISO code in the vocabulary's order.
COUNTRY = {code: position + 1 for position, code in enumerate(Country.values)}


def country_key(province: str, country: str) -> int:
    """Where a firm is registered or its work happens, as a country key: China for a
    Chinese province; outside China the country given, unknown when blank."""
    if province != Province.ABROAD:
        return COUNTRY[CHINA]
    return COUNTRY.get(country or "", engine_facts.UNKNOWN_COUNTRY)


COLLATERAL = {
    code: position
    for position, code in enumerate(c for c in Collateral.values if c != Collateral.NONE)
}


def _indices(codes, mapping) -> frozenset[int]:
    return frozenset(mapping[code] for code in codes if code in mapping)


def tool_bits(tools=None) -> dict[int, int]:
    """Programme tool id → its bit in the engine's masks: the tools open today, in a
    fixed order, so projects and offerings encoded apart agree."""
    tools = programme.open_tools() if tools is None else tools
    return {tool.pk: bit for bit, tool in enumerate(tools[: engine_facts.MAX_TOOLS])}


def tools_by_project(rows: list[dict], tools=None) -> dict[int, frozenset[int]]:
    """Project id → the bits of the programme tools that apply to it (segment, confirmed
    lists, no exclusion). `tools`: the open tools, when the caller has them already."""
    tools = programme.open_tools() if tools is None else list(tools)
    if not tools:
        return {row["id"]: frozenset() for row in rows}
    bits = tool_bits(tools)
    applying = programme.tools_applying(rows, [tool for tool in tools if tool.pk in bits])
    return {pid: frozenset(bits[tool_id] for tool_id in ids) for pid, ids in applying.items()}


def project_facts(project: Project, with_tools: bool = True) -> ProjectFacts:
    """`with_tools=False`: without the programme tools that apply (enough wherever only
    offerings' own terms are read, and a few queries fewer)."""
    row = {name: getattr(project, name) for name in PROJECT_FACT_FIELDS}
    tools = tools_by_project([row]).get(project.pk, frozenset()) if with_tools else frozenset()
    return facts_from_row(row, tuple(needs_vector(project)), tools)


def facts_from_row(
    row: dict, needs: tuple[int, ...], tools: frozenset[int] = frozenset()
) -> ProjectFacts:
    """A project's engine facts from its field values (codes), one place for both paths."""
    return ProjectFacts(
        segment=SEGMENT[row["segment"]],
        stage=STAGE[row["stage"]],
        trl=row["trl"],
        needs=needs,
        months_to_revenue=row["months_to_revenue"],
        months_to_break_even=row["months_to_break_even"],
        exposures=_indices(row["exposures"], EXPOSURE),
        collateral=_indices(row["collateral"], COLLATERAL),
        region=REGION[row["region"]],
        flight_record=FLIGHT_RECORD[row["flight_record"]],
        revenue_status=REVENUE_STATUS[row["revenue_status"]],
        round_role=ROUND_ROLE[row["round_role"]],
        registered_in=PROVINCE[row["registered_province"]],
        works_in=PROVINCE[row["province"]],
        tools=tools,
        registered_country=country_key(
            row["registered_province"], row.get("registered_country", "")
        ),
        works_country=country_key(row["province"], row.get("country", "")),
    )


def active_learning(offering: Offering) -> LearnedWeights | None:
    """What the offering's decisions taught (`review.learning`), while it is turned on."""
    try:
        learned = offering.learned_weights
    except LearnedWeights.DoesNotExist:
        return None
    return learned if learned.active else None


def learned_multipliers(offering: Offering) -> dict[str, float]:
    learned = active_learning(offering)
    return learned.multipliers if learned else {}


def sweet_spots(offering: Offering) -> tuple[int, int]:
    """(preferred stage index or -1, preferred TRL or none): the offering's own, else
    where its shortlists centre while learning is on, else the engine's default."""
    learned = active_learning(offering)
    stage = offering.preferred_stage or (learned.preferred_stage if learned else "")
    trl = offering.preferred_trl or (learned.preferred_trl if learned else None)
    if trl is not None and not offering.trl_min <= trl <= offering.trl_max:
        trl = None  # the offering's range changed since: its own range wins
    if stage and offering.stages and stage not in offering.stages:
        stage = ""
    return (STAGE[stage] if stage else -1), (trl or engine_facts.NO_SWEET_SPOT)


def offering_weights(offering: Offering, defaults: dict) -> tuple[float, ...]:
    """Its own weights (else the programme's), times what its decisions taught."""
    own = offering.weights or {}
    learned = learned_multipliers(offering)
    return tuple(
        float(own.get(name, defaults.get(name, 1.0))) * learned.get(name, 1.0)
        for name in Criterion.values
    )


def offering_facts(offering: Offering, defaults: dict) -> OfferingFacts:
    preferred_stage, preferred_trl = sweet_spots(offering)
    return OfferingFacts(
        instrument=INSTRUMENT[offering.instrument],
        ticket_min=offering.ticket_min,
        ticket_max=offering.ticket_max,
        capacity_left=offering.capacity_left,
        max_tenor_months=offering.max_tenor_months,
        weights=offering_weights(offering, defaults),
        segments=_indices(offering.segments, SEGMENT),
        stages=_indices(offering.stages, STAGE),
        trl_min=offering.trl_min,
        trl_max=offering.trl_max,
        appetite=APPETITE[offering.risk_appetite],
        exposures_covered=_indices(offering.exposures_covered, EXPOSURE),
        regions=_indices(offering.regions, REGION),
        collateral_required=_indices(offering.collateral_required, COLLATERAL),
        preferred_stage=preferred_stage,
        preferred_trl=preferred_trl,
        preferred_ticket=offering.preferred_ticket or engine_facts.NO_SWEET_SPOT,
        min_flight_record=FLIGHT_RECORD[offering.min_flight_record],
        min_revenue_status=REVENUE_STATUS[offering.min_revenue_status],
        round_role=OFFERING_ROLE[offering.round_role],
        presence=_indices(offering.presence, PROVINCE),
        content=_indices(offering.content, PROVINCE),
        countries=_indices(offering.countries, COUNTRY),
        content_countries=_indices(offering.content_countries, COUNTRY),
        home_content=offering.home_content,
        line_share=offering.line_share / 100,
        guarantee=is_guarantee(offering),
    )


def is_guarantee(offering: Offering) -> bool:
    """A guarantee company's credit offering is a credit guarantee (#25): it fits firms
    without collateral to pledge (`engine.rules.GUARANTEE_NOT_NEEDED`)."""
    return (
        offering.instrument == Instrument.CREDIT
        and offering.institution.institution_type == InstitutionType.GUARANTOR
    )


def covered_facts(own: OfferingFacts, enrolment, bit: int, position: int) -> OfferingFacts:
    """The offering's terms when the enrolment's tool applies: its covered TRL minimum,
    pre-revenue firms, a larger ticket (each only ever loosens the offering's own)."""
    return replace(
        own,
        trl_min=min(own.trl_min, enrolment.covered_trl_min or own.trl_min),
        min_revenue_status=0 if enrolment.covered_pre_revenue else own.min_revenue_status,
        ticket_max=max(own.ticket_max, enrolment.covered_ticket_max or 0),
        tool=bit,
        variant_of=position,
    )


def covered_variants(offerings: list[Offering], own: list[OfferingFacts], tools=None):
    """(offering ids, facts) of the covered variants of approved enrolments with covered
    terms, in tools open today (`tools`, when the caller has them); to append after the
    offerings' own rows."""
    bits = tool_bits(None if tools is None else list(tools))
    position = {offering.pk: at for at, offering in enumerate(offerings)}
    ids, facts = [], []
    for enrolment in programme.approved_enrolments(list(position)):
        if enrolment.tool_id in bits and enrolment.has_covered_terms:
            at = position[enrolment.offering_id]
            ids.append(enrolment.offering_id)
            facts.append(covered_facts(own[at], enrolment, bits[enrolment.tool_id], at))
    return ids, facts


def covered_ticket_max(project: Project, offering_ids) -> dict[int, int]:
    """Offering id → the largest ticket an approved enrolment lets it write for this
    project (only where the enrolment's tool applies to the project): for packages."""
    row = {name: getattr(project, name) for name in PROJECT_FACT_FIELDS}
    applying = tools_by_project([row]).get(project.pk, frozenset())
    bits = tool_bits()
    largest: dict[int, int] = {}
    for enrolment in programme.approved_enrolments(offering_ids):
        if enrolment.covered_ticket_max and bits.get(enrolment.tool_id) in applying:
            largest[enrolment.offering_id] = max(
                largest.get(enrolment.offering_id, 0), enrolment.covered_ticket_max
            )
    return largest


def covering_enrolment(project: Project, offering: Offering):
    """The approved enrolment whose covered terms decide this pair (they make it
    eligible or score it higher than the offering's own terms), else None."""
    return _covering(
        [(project, offering)], programme.approved_enrolments([offering.pk]), tools_by_project
    )[0]


def covering_enrolments(matches) -> dict[int, object]:
    """Match id → `covering_enrolment` of its pair, for a page of matches in a fixed
    number of queries (the programme's lists, the matches' projects' tools), plus one
    per offering with covered terms and no learned weights selected."""
    matches = list(matches)
    offering_ids = {match.offering_id for match in matches}
    covers = _covering(
        [(match.project, match.offering) for match in matches],
        programme.approved_enrolments_kept(offering_ids),
        tools_by_project,
    )
    return {match.pk: cover for match, cover in zip(matches, covers, strict=True)}


def _covering(pairs, approved, tools_of) -> list:
    with_terms: dict[int, list] = {}
    for enrolment in approved:
        if enrolment.has_covered_terms:
            with_terms.setdefault(enrolment.offering_id, []).append(enrolment)
    if not with_terms:
        return [None] * len(pairs)
    bits = tool_bits()
    rows = {
        project.pk: {name: getattr(project, name) for name in PROJECT_FACT_FIELDS}
        for project, offering in pairs
        if offering.pk in with_terms
    }
    tools = tools_of(list(rows.values())) if rows else {}
    own_facts: dict[int, OfferingFacts] = {}
    covers = []
    for project, offering in pairs:
        enrolments = [e for e in with_terms.get(offering.pk, []) if e.tool_id in bits]
        if not enrolments:
            covers.append(None)
            continue
        own = own_facts.get(offering.pk) or own_facts.setdefault(
            offering.pk, offering_facts(offering, {})
        )
        facts = facts_from_row(
            rows[project.pk], tuple(needs_vector(project)), tools.get(project.pk, frozenset())
        )
        candidates = [own] + [covered_facts(own, e, bits[e.tool_id], 0) for e in enrolments]
        best = reference.best_row(facts, candidates)
        covers.append(enrolments[best[0] - 1] if best and best[0] > 0 else None)
    return covers


def resolved_sweet_spots(offering: Offering, cover=None) -> tuple[str, int, int]:
    """(stage code, TRL, ticket in RMB) the engine scores this offering against: its own,
    learned or the engine's default, for explanations; on the covered terms of the
    enrolment `cover` when they decided the pair."""
    facts = offering_facts(offering, {})
    if cover is not None:
        facts = covered_facts(facts, cover, 0, 0)
    return (
        Stage.values[engine_facts.sweet_stage(facts)],
        engine_facts.sweet_trl(facts),
        round(engine_facts.sweet_ticket(facts)),
    )


# Syndicates (#25): the words and the packages read the engine's own rule.
SYNDICATE_MIN_SHARE_PERCENT = rules.SYNDICATE_MIN_SHARE_PERCENT
SOLE, LEAD, PARTICIPANT = syndicate.SOLE, syndicate.LEAD, syndicate.PARTICIPANT


def syndicate_role(offering, amount: int, need: int) -> str:
    """What the offering's share of the need makes it: the whole (`SOLE`), a lead (lead
    investor, arranger, lead underwriter) or a participant (`engine.syndicate.role`)."""
    return syndicate.role(
        amount, need, OFFERING_ROLE[offering.round_role], INSTRUMENT[offering.instrument]
    )


def safer_than_appetite(project: Project, offering) -> bool:
    """The project's risk lies below the tolerance of the offering's appetite (#25: such
    a fit falls, for the words that say why)."""
    tolerance = rules.APPETITE_TOLERANCE[APPETITE[offering.risk_appetite]]
    # the project's risk reads no programme tool: without them, no query
    return reference.project_risk(project_facts(project, with_tools=False)) < tolerance


def failed_screens(project: Project, offerings) -> list[str | None]:
    """For each offering, the engine's first hard rule the pair fails (None when
    eligible), by name."""
    facts = project_facts(project, with_tools=False)
    return [reference.failed_screen(facts, offering_facts(o, {})) for o in offerings]


def offerings_for_engine():
    """The live offerings with what the engine reads of them in the same query (their
    learned weights): for every caller that encodes offerings."""
    return live_offerings().select_related("learned_weights", "institution")


PROJECT_FACT_FIELDS = (
    "id",
    "firm_id",
    "segment",
    "stage",
    "trl",
    "months_to_revenue",
    "months_to_break_even",
    "exposures",
    "collateral",
    "region",
    "flight_record",
    "revenue_status",
    "round_role",
    "registered_province",
    "province",
    "registered_country",
    "country",
)


def project_facts_of(queryset, tools=None) -> tuple[list[int], list[ProjectFacts]]:
    """(ids, facts) of many projects from plain rows: two queries and no model objects,
    several times faster than `project_facts` over instances for a full re-score."""
    rows = list(queryset.order_by().values(*PROJECT_FACT_FIELDS))
    needs: dict[int, list[int]] = {row["id"]: [0] * len(INSTRUMENT) for row in rows}
    amounts = FundingNeed.objects.filter(project__in=queryset.order_by().values("id"))
    for project_id, instrument, amount in amounts.values_list("project_id", "instrument", "amount"):
        if project_id in needs:
            needs[project_id][INSTRUMENT[instrument]] = amount
    applying = tools_by_project(rows, tools)
    facts = [facts_from_row(row, tuple(needs[row["id"]]), applying[row["id"]]) for row in rows]
    return [row["id"] for row in rows], facts


def matchable_projects():
    """Submitted projects of verified firms, with their needs in one extra query."""
    return submitted_projects().prefetch_related(
        Prefetch("needs", queryset=FundingNeed.objects.only("project_id", "instrument", "amount"))
    )


def offering_weight_shares(offering: Offering, defaults: dict) -> list[float]:
    """Each criterion's share of the offering's score (summing to 1), as the engine uses."""
    return normalised_weights(offering_weights(offering, defaults)).tolist()


def needs_vector(project: Project) -> list[int]:
    """RMB sought per instrument, in the engine's instrument order."""
    needs = [0] * len(INSTRUMENT)
    for need in project.needs.all():
        needs[INSTRUMENT[need.instrument]] = need.amount
    return needs


def ids_of(records) -> np.ndarray:
    return np.array([record.pk for record in records], dtype=np.int64)

"""`make evaluate`: does the engine rank the financiers real deals had first, and does
learning from decisions find what an institution really wants?

Part 1, public deals (`matchmaker/evaluation/`): the real engine ranks a market built from
financiers' mandates for each public deal. Repeated k-fold cross-validation (5 folds × 4
repeats, seeded): each fold is scored by the engine calibrated on the other four only, and
the mean and spread over the held-out folds are printed for hit@1 and hit@3 within the
deal's instrument and across the firm's whole list, NDCG@10, the false-match rate and the
score spread among the top three kinds of financier (goal: at least 15 points), beside
today's committed setting on every fold and the number of fitted parameters. Goal on the
held-out folds: hit@1 ≥ 0.8, hit@3 ≥ 0.95, no false matches. `make calibrate` first fits
the default weights and curves on the committed split's calibration part and prints them.

Part 2, learning: a simulated fund with a hidden preference (it shortlists only projects
with flight heritage and revenue, and declines the rest with the matching reason: too early
when nothing has flown, risk too high when nothing is earned) decides on its top 10
undecided matches each round, for 5 rounds (50 decisions), and accepts the suggestions its
decisions produce (`review.suggestions`). After each round the engine learns from its
decisions (`review.learning`) and re-scores its offering. Reported: the share of its top
10 it would shortlist, before and after; and the same share for a second fund with an
identical offering that decided nothing (its scores must not move). Goal: +30 points for
the first, no change for the second. What was learned is printed each round; the last
line is one JSON object. A fresh embedded database in a temporary folder; nothing is
mailed.
"""

import json
import os
import random
import sys
import tempfile
from pathlib import Path

ROUNDS, PER_ROUND, PROJECTS = 5, 10, 1000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Stage follows TRL, as in real projects (a qualification-stage project is at TRL 5–6).
STAGE_BY_TRL = {
    2: "concept",
    3: "rnd",
    4: "prototype",
    5: "qualification",
    6: "qualification",
    7: "first_flight",
    8: "production_ramp",
    9: "commercial",
}


def wants(project) -> bool:
    """The simulated fund's hidden preference: flight heritage and revenue."""
    return project.flight_record in FLOWN and project.revenue_status != "pre_revenue"


FLOWN = ("first_flight", "flight_proven")


def status_of(rng: random.Random, trl: int) -> dict:
    """A flight record and revenue that go with the TRL, as in real projects, with enough
    spread that TRL alone does not tell them."""
    flown = rng.random() < {7: 0.5, 8: 0.8, 9: 0.95}.get(trl, 0.0)
    flights = rng.choice([1, 3, 8]) if flown else 0
    record = ("first_flight" if flights == 1 else "flight_proven") if flown else "not_flown"
    earning = rng.random() < (0.6 if flown else 0.15)
    return {
        "flight_record": record,
        "successful_flights": flights,
        "revenue_status": "revenue" if earning else "pre_revenue",
    }


def world(rng: random.Random):
    from matchmaker.vocabulary import Exposure, Region, Segment
    from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

    funds = [InstitutionMemberFactory(), InstitutionMemberFactory()]
    offerings = [
        OfferingFactory(
            institution=fund.institution,
            name=f"Fund {n} equity",
            trl_min=1,
            trl_max=9,
            ticket_min=5_000_000,
            ticket_max=300_000_000,
        )
        for n, fund in enumerate(funds)
    ]
    for n in range(PROJECTS):
        months = rng.choice([12, 24, 36, 48, 60, 84, 120])
        trl = rng.randint(2, 9)
        ProjectFactory(
            title=f"Simulated project {n}",
            trl=trl,
            **status_of(rng, trl),
            segment=rng.choice(Segment.values),
            stage=STAGE_BY_TRL[trl],
            months_to_revenue=months,
            months_to_break_even=months + rng.choice([12, 24, 48]),
            region=rng.choice(Region.values),
            exposures=rng.sample(Exposure.values, rng.randint(0, 3)),
            needs={"equity": rng.choice([10, 30, 50, 100, 200]) * 1_000_000},
        )
    return funds, offerings


def top_undecided(offering, count: int = PER_ROUND):
    from matchmaker.models import Match, MatchStatus

    return list(
        Match.objects.filter(offering=offering, status=MatchStatus.NEW, eligible=True)
        .select_related("project")
        .order_by("-score", "id")[:count]
    )


def share_wanted(offering) -> float:
    top = top_undecided(offering)
    return sum(wants(match.project) for match in top) / max(len(top), 1)


def decide_round(member, offering) -> None:
    from matchmaker.models import DeclineReason, MatchStatus
    from matchmaker.review import services as review

    for match in top_undecided(offering):
        if wants(match.project):
            review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
        else:
            reason = (
                DeclineReason.STAGE_TOO_EARLY
                if match.project.flight_record not in FLOWN
                else DeclineReason.RISK_TOO_HIGH
            )
            review.match_decline(match=match, by=member.user, reason=reason)


def accept_suggestions(member, offering) -> list[str]:
    """The fund accepts what its own decisions suggest (they agree with its preference)."""
    from investors.models import Offering
    from matchmaker.review import suggestions

    offerings = Offering.objects.filter(pk=offering.pk)
    accepted = []
    for suggestion in suggestions.suggestions_for(offerings):
        suggestions.suggestion_accept(
            offerings=offerings,
            offering_id=offering.pk,
            kind=suggestion.kind,
            value=suggestion.value,
            by=member.user,
        )
        accepted.append(suggestion.text)
    return accepted


def compiled_after_setting(deals, every_deal: list, market: list) -> dict:
    """Per batch of deals added after the setting was committed ('compiled'), the
    committed setting's figures on them: the check on deals the engine was never
    calibrated on, which cross-validation cannot give (it refits a few numbers, while the
    market and the rules were written knowing every deal)."""
    batches: dict[str, list] = {}
    for deal in every_deal:
        if deal.compiled:
            batches.setdefault(deal.compiled, []).append(deal)
    figures = {}
    for compiled, batch in sorted(batches.items()):
        report = deals.evaluate(batch, market)
        figures[compiled] = report.as_dict()
        log(
            f"deals compiled {compiled} ({report.deals}, not in the set the setting was built "
            f"on): hit@1 {report.hit_at_1:.2f}, hit@3 {report.hit_at_3:.2f}, NDCG@10 "
            f"{report.ndcg_at_10:.2f}, false matches {report.false_match_rate:.2f}; "
            f"{len(report.unmatched_lead)} with no financier of a leading kind matched, "
            f"hit@1 {report.hit_at_1_matched:.2f} on the others"
        )
    compiled = [deal for batch in batches.values() for deal in batch]
    if compiled:
        figures["every_batch"] = every_batch = deals.evaluate(compiled, market).as_dict()
        every_batch["by_instrument"] = by_instrument(deals, compiled, market)
        log(
            f"every deal compiled after the setting ({every_batch['deals']}): hit@1 "
            f"{every_batch['hit_at_1']:.2f}, hit@3 {every_batch['hit_at_3']:.2f}; larger than "
            f"any one ticket of their leading kind {every_batch['beyond_one_ticket']}, matched "
            f"to such a financier {every_batch['beyond_one_ticket_leading_kind_matched']}; "
            + ", ".join(
                f"{name} {part['hit_at_1']:.2f}/{part['hit_at_3']:.2f} of {part['deals']}"
                for name, part in every_batch["by_instrument"].items()
            )
        )
    return figures


def by_instrument(deals, some_deals: list, market: list) -> dict:
    """hit@1 and hit@3 per instrument: where the misses are (equity rounds, loans or
    covers rank their financiers by different criteria)."""
    parts: dict[str, list] = {}
    for deal in some_deals:
        parts.setdefault(deal.instrument, []).append(deal)
    figures = {}
    for name, part in sorted(parts.items()):
        report = deals.evaluate(part, market)
        figures[name] = {
            "deals": report.deals,
            "hit_at_1": round(report.hit_at_1, 3),
            "hit_at_3": round(report.hit_at_3, 3),
        }
    return figures


def public_deals(calibrate: bool) -> dict:
    from matchmaker.evaluation import deals

    weights, values = deals.default_weights(), deals.current_curves()
    if calibrate:
        weights, values, _report = deals.calibrate()
        log(f"calibrated default weights: {weights}")
        log(f"calibrated curves: {values}")
    market = deals.load_market(weights=weights)
    figures = {}
    with deals.curves(values):
        every_deal = deals.load_deals(market)
        report = deals.evaluate(every_deal, market).as_dict()
        figures["compiled_after_setting"] = compiled_after_setting(deals, every_deal, market)
    figures["all_deals_committed_setting"] = report
    log(
        f"public deals, all {report['deals']} with the committed setting: hit@1 "
        f"{report['hit_at_1']:.2f}, hit@3 {report['hit_at_3']:.2f}, whole list hit@1 "
        f"{report['hit_at_1_all']:.2f}, NDCG@10 {report['ndcg_at_10']:.2f}, false matches "
        f"{report['false_match_rate']:.2f}, top-three-kind spread {report['kind_spread']:.1f}; "
        f"larger than any one ticket of their leading kind: {report['beyond_one_ticket']}, "
        f"a financier of that kind matched for {report['beyond_one_ticket_leading_kind_matched']}"
    )
    figures["facts_baseline"] = baseline = deals.facts_baseline(deals.deal_rows())
    log(
        "the deals' facts alone (instrument, a Chinese firm or not, flight record, revenue), "
        f"no market and no rule: at best hit@1 {baseline['same_facts_ceiling']:.2f} on this "
        f"set; each deal guessed from the others: {baseline['leave_one_out_hit_at_1']:.2f}"
    )
    for miss in report["missed_at_1"]:
        log(f"  missed at 1: {miss}")
    for miss in report["missed_at_3"]:
        log(f"  missed at 3 (no leading kind in the top three): {miss}")
    for name, fit in (("committed", False), ("cross_validated", True)):
        result = deals.cross_validate(fit=fit)
        figures[name] = result
        log(
            f"{name}: {result['folds']}-fold x {result['repeats']} on {result['deals']} deals, "
            f"{result['fitted_parameters']} fitted parameters"
        )
        for part in ("held_out", "calibration"):
            line = ", ".join(
                f"{key} {value['mean']:.3f} ± {value['spread']:.3f}"
                for key, value in result[part].items()
            )
            log(f"  {part}: {line}")
    return figures


def main() -> int:
    calibrate = "--calibrate" in sys.argv[1:]
    os.environ.update(
        {
            "VAR_DIR": tempfile.mkdtemp(prefix="matchmaker-evaluate-"),
            "DJANGO_SETTINGS_MODULE": "matchmaker.settings",
        }
    )
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        os.environ.pop(key, None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    from django.core.management import call_command

    from matchmaker.celery import app
    from matchmaker.matching import scoring
    from matchmaker.models import EngineSettings
    from matchmaker.review import learning

    app.conf.update(task_always_eager=False)  # decisions' own tasks wait in the file broker
    call_command("migrate", verbosity=0)
    deal_figures = public_deals(calibrate)
    engine = EngineSettings.current()
    engine.top_k = PROJECTS  # each fund sees every project it may match, not its best 50
    engine.save()
    funds, offerings = world(random.Random(2026))
    scoring.full_rescore_inline()
    deciding, bystander = offerings
    before = {"deciding": share_wanted(deciding), "bystander": share_wanted(bystander)}
    scores_before = list(bystander.matches.order_by("id").values_list("score", flat=True))
    log(f"round 0: the deciding fund would shortlist {before['deciding']:.0%} of its top 10")
    for number in range(1, ROUNDS + 1):
        decide_round(funds[0], deciding)
        for text in accept_suggestions(funds[0], deciding):
            log(f"  accepted: {text}")
        learned = learning.learn(deciding)
        scoring.score_offering(deciding.pk)
        if learned is not None:
            log(
                f"  learned: {learned.multipliers}; shortlists centre on TRL "
                f"{learned.preferred_trl}, stage {learned.preferred_stage or '-'}"
            )
        log(
            f"round {number}: {share_wanted(deciding):.0%} of its top 10 "
            f"({number * PER_ROUND} decisions)"
        )
    after = {"deciding": share_wanted(deciding), "bystander": share_wanted(bystander)}
    scores_after = list(bystander.matches.order_by("id").values_list("score", flat=True))
    rise = round(100 * (after["deciding"] - before["deciding"]))
    figures = {
        "decisions": ROUNDS * PER_ROUND,
        "deciding_share_before": round(before["deciding"], 2),
        "deciding_share_after": round(after["deciding"], 2),
        "deciding_rise_points": rise,
        "bystander_share_before": round(before["bystander"], 2),
        "bystander_share_after": round(after["bystander"], 2),
        "bystander_scores_unchanged": scores_before == scores_after,
    }
    log(
        f"rise: {rise} points (goal >= 30); the other fund's scores unchanged: "
        f"{figures['bystander_scores_unchanged']}"
    )
    print(json.dumps({"public_deals": deal_figures, "learning": figures}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

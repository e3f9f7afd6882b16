"""`make evaluate`: does learning from decisions find what an institution really wants?

A simulated fund with a hidden preference (it shortlists only projects at TRL 7 or more,
with at most one risk exposure and revenue expected within 48 months, and declines the
rest with the matching reason) decides on its top 10 undecided matches each round, for 5
rounds (50 decisions). After each round the engine learns from its decisions
(`review.learning`) and re-scores its offering. Reported: the share of its top 10 it would
shortlist, before and after; and the same share for a second fund with an identical
offering that decided nothing (its scores must not move). Goal: +30 points for the first,
no change for the second. The learned multipliers are printed each round; the last line
is one JSON object. A fresh embedded database in a temporary folder; nothing is mailed.
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


def wants(project) -> bool:
    """The simulated fund's hidden preference: proven technology, few risks, revenue soon."""
    return project.trl >= 7 and len(project.exposures) <= 1 and project.months_to_revenue <= 48


def world(rng: random.Random):
    from matchmaker.vocabulary import Exposure, Region, Segment, Stage
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
        ProjectFactory(
            title=f"Simulated project {n}",
            trl=rng.randint(2, 9),
            segment=rng.choice(Segment.values),
            stage=rng.choice(Stage.values),
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
            review.move(match, MatchStatus.SHORTLISTED, member.user)
        else:
            reason = (
                DeclineReason.STAGE_TOO_EARLY
                if match.project.trl < 7
                else DeclineReason.RISK_TOO_HIGH
            )
            review.decline(match, member.user, reason)


def main() -> int:
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
        learned = learning.learn(deciding)
        scoring.score_offering(deciding.pk)
        if learned is not None:
            log(f"  learned: {learned.multipliers}")
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
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

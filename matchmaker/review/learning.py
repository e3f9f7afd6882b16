"""Learning from decisions: what an institution shortlists and declines on an offering
becomes a bounded multiplier per criterion of that offering's weights.

A regularised logistic regression (scikit-learn) is fitted over the criterion values of
the pairs the offering decided on (shortlisted or further = 1, declined = 0). A criterion
whose higher values went with shortlisting weighs more, one that went with declining
weighs less: multiplier = exp(coefficient × evidence), bounded to [1/3, 3], where
evidence = n / (n + `EVIDENCE_HALF`) grows from 0 (no decisions: today's score) towards 1.
It also learns where the offering's shortlists centre (the median TRL and stage of the
projects it shortlisted, from `MIN_SHORTLISTS` on), used as its sweet spot when the
offering names none. It never touches a hard rule (eligibility), and only this offering's
scores use it.
"""

import numpy as np
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils.translation import gettext as _
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from investors.models import Offering
from matchmaker.audit import audit_record
from matchmaker.models import (
    AuditAction,
    DeclineReason,
    LearnedWeights,
    Match,
    MatchEvent,
    MatchStatus,
)
from matchmaker.money import conjoined, sentences
from matchmaker.review.suggestions import POSITIVE
from matchmaker.vocabulary import STAGE_ORDER, Criterion, Stage

# Sent after commit with kwargs offering_id: the offering's learned weights changed (or
# were turned on or off), so its pairs must be re-scored. `matchmaker.signals` connects it.
learned_weights_changed = Signal()

MIN_DECISIONS = 10  # and both kinds of decision, before anything is learned
EVIDENCE_HALF = 20  # decisions at which the learned multipliers count half
MAX_MULTIPLIER = 3.0
NOTABLE = 1.15  # a multiplier beyond ×1.15 (or below ÷1.15) is worth saying in words
MIN_SHORTLISTS = 2  # shortlisted projects before their centre counts as a sweet spot


def decided_pairs(offering: Offering) -> tuple[np.ndarray, np.ndarray]:
    """Criterion values (rows) and decisions (1 shortlisted or further, 0 declined)."""
    rows = Match.objects.filter(
        offering=offering, status__in=[*POSITIVE, MatchStatus.DECLINED]
    ).values_list("components", "status")
    values = np.array([components for components, _status in rows], dtype=float)
    decisions = np.array([status in POSITIVE for _components, status in rows], dtype=int)
    return values.reshape(len(decisions), len(Criterion)), decisions


def fit_multipliers(values: np.ndarray, decisions: np.ndarray) -> dict[str, float] | None:
    """Criterion → bounded multiplier, or None without enough evidence."""
    if len(decisions) < MIN_DECISIONS or len(set(decisions.tolist())) < 2:
        return None
    scaled = StandardScaler().fit_transform(values)
    model = LogisticRegression(C=1.0).fit(scaled, decisions)
    evidence = len(decisions) / (len(decisions) + EVIDENCE_HALF)
    multipliers = np.clip(np.exp(model.coef_[0] * evidence), 1 / MAX_MULTIPLIER, MAX_MULTIPLIER)
    return {
        criterion.value: round(float(m), 3)
        for criterion, m in zip(Criterion, multipliers, strict=True)
    }


def shortlist_centre(offering: Offering) -> tuple[int | None, str]:
    """Where the offering's sweet spot lies by its decisions: the median TRL and stage of
    the projects it shortlisted or took further (from `MIN_SHORTLISTS` of them); before
    that, one step past the most mature projects it declined as too early (from
    `MIN_DECISIONS` such declines); else (None, "")."""
    shortlisted = list(
        Match.objects.filter(offering=offering, status__in=POSITIVE).values_list(
            "project__trl", "project__stage"
        )
    )
    if len(shortlisted) >= MIN_SHORTLISTS:
        trls = sorted(trl for trl, _stage in shortlisted)
        stages = sorted(STAGE_ORDER[stage] for _trl, stage in shortlisted)
        return trls[len(trls) // 2], Stage.values[stages[len(stages) // 2]]
    # the reason of the decline that stands: a match declined as too early, put back on
    # the list and declined again for another reason is no longer "too early"
    standing_reason = (
        MatchEvent.objects.filter(
            match=OuterRef("pk"), to_status=MatchStatus.DECLINED, undone=False
        )
        .order_by("-at", "-id")
        .values("reason")[:1]
    )
    too_early = list(
        Match.objects.filter(offering=offering, status=MatchStatus.DECLINED)
        .annotate(standing_reason=Subquery(standing_reason))
        .filter(standing_reason=DeclineReason.STAGE_TOO_EARLY)
        .values_list("project__trl", "project__stage")
    )
    if len(too_early) < MIN_DECISIONS:
        return None, ""
    trl = min(9, max(trl for trl, _stage in too_early) + 1)
    stage = min(len(Stage) - 1, max(STAGE_ORDER[stage] for _trl, stage in too_early) + 1)
    return trl, Stage.values[stage]


@transaction.atomic
def learn(offering: Offering) -> LearnedWeights | None:
    """Fit the offering's multipliers and sweet spots from its decisions; the caller
    re-scores it."""
    values, decisions = decided_pairs(offering)
    multipliers = fit_multipliers(values, decisions)
    preferred_trl, preferred_stage = shortlist_centre(offering)
    if multipliers is None and preferred_trl is None:
        return None
    learned, _created = LearnedWeights.objects.get_or_create(offering=offering)
    learned.multipliers, learned.decisions = multipliers or {}, len(decisions)
    learned.preferred_trl, learned.preferred_stage = preferred_trl, preferred_stage
    learned.save(
        update_fields=[
            "multipliers",
            "decisions",
            "preferred_trl",
            "preferred_stage",
            "updated_at",
        ]
    )
    _announce(learned)
    return learned


def _announce(learned: LearnedWeights) -> None:
    offering_id = learned.offering_id
    transaction.on_commit(
        lambda: learned_weights_changed.send(sender=LearnedWeights, offering_id=offering_id)
    )


@transaction.atomic
def learned_weights_set_active(*, learned: LearnedWeights, active: bool, by) -> LearnedWeights:
    """The institution turns what its decisions taught off (scores as before) or on."""
    learned.active = active
    learned.save(update_fields=["active", "updated_at"])
    audit_record(
        action=AuditAction.LEARNED_WEIGHTS_SWITCHED,
        by=by,
        target=f"offering:{learned.offering_id}",
        detail={"active": active},
    )
    _announce(learned)
    return learned


def describe(learned: LearnedWeights) -> str:
    """What the decisions taught, in the reader's language: the weights, then where the
    shortlists centre."""
    words = describe_weights(learned)
    if learned.preferred_trl:
        words = sentences(
            words,
            _(
                "Your shortlists centre on TRL %(trl)s and the %(stage)s stage, so projects "
                "nearer to them rank higher."
            )
            % {
                "trl": learned.preferred_trl,
                "stage": Stage(learned.preferred_stage).label if learned.preferred_stage else "—",
            },
        )
    return words


def describe_weights(learned: LearnedWeights) -> str:
    """ "Your decisions weigh tenor more and segment less" in the reader's language."""
    labels = dict(Criterion.choices)
    more = [labels[c] for c, m in learned.multipliers.items() if m >= NOTABLE]
    less = [labels[c] for c, m in learned.multipliers.items() if m <= 1 / NOTABLE]
    if more and less:
        return _("Your decisions weigh %(more)s more and %(less)s less.") % {
            "more": conjoined(more),
            "less": conjoined(less),
        }
    if more:
        return _("Your decisions weigh %(criteria)s more.") % {"criteria": conjoined(more)}
    if less:
        return _("Your decisions weigh %(criteria)s less.") % {"criteria": conjoined(less)}
    return _("Your decisions so far match the offering's weights.")


def active_note(offering: Offering) -> str:
    """For the explanation of a match: what the offering's decisions changed, if on."""
    try:
        learned = offering.learned_weights
    except LearnedWeights.DoesNotExist:
        return ""
    return describe(learned) if learned.active else ""

"""Capital-stack suggestions against the database: load a project's matches, call the
solver in `engine/packages.py`, and store the packages with a reason per member.

One of the adapter modules (with `encoding.py` and `scoring.py`) that may import the engine.
"""

import hashlib
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from matchmaker.engine.facts import RISK_COVER
from matchmaker.engine.packages import Candidate, build_packages, syndicate_roles
from matchmaker.engine.syndicate import LEAD
from matchmaker.matching.encoding import INSTRUMENT, covered_ticket_max, needs_vector
from matchmaker.models import Match, MatchStatus, Package, PackageMember
from matchmaker.money import rmb
from matchmaker.vocabulary import Exposure, Instrument, OfferingRole, RoundRole
from projects.models import Project, ProjectStatus

INSTRUMENTS = Instrument.values  # engine index → code (the inverse of INSTRUMENT)
CRITICAL_EXPOSURES = {Exposure.LAUNCH_FAILURE, Exposure.IN_ORBIT_FAILURE}
# A package is proposed to people: never with an institution that already said no.
CLOSED_TO_PACKAGES = {MatchStatus.DECLINED, MatchStatus.CLOSED_LOST}


def carry(offering, needs: list[int], ticket_max: int | None = None) -> int:
    """The most the offering can put into this project: its ticket (or the larger one a
    programme tool's covered terms allow) and capacity, and for an insurer its line of
    the risk (the rest is for the other insurers of a panel)."""
    most = min(max(offering.ticket_max, ticket_max or 0), offering.capacity_left)
    if offering.instrument == Instrument.RISK_COVER:
        most = min(most, needs[INSTRUMENT[Instrument.RISK_COVER]] * offering.line_share // 100)
    return most


def _candidate(
    match: Match, critical: set, needs: list[int], institutions: dict, covered_max=None
) -> Candidate:
    """The solver's view of one match (``institutions`` numbers the institutions met;
    ``covered_max``, a larger ticket a programme tool's covered terms allow)."""
    offering = match.offering
    return Candidate(
        key=match.pk,
        institution=institutions.setdefault(offering.institution_id, len(institutions)),
        instrument=INSTRUMENT[offering.instrument],
        ticket_min=offering.ticket_min,
        carry=carry(offering, needs, covered_max),
        score=match.score,
        covers_critical=offering.instrument == Instrument.RISK_COVER
        and bool(critical & set(offering.exposures_covered)),
        can_lead=not (
            offering.instrument == Instrument.EQUITY
            and offering.round_role == OfferingRole.FOLLOW_ONLY
        ),
    )


def candidates_for(project: Project) -> list[Candidate]:
    matches = Match.objects.filter(project=project, eligible=True).select_related("offering")
    institutions: dict = {}
    critical = set(project.exposures) & CRITICAL_EXPOSURES
    needs = needs_vector(project)
    covered = covered_ticket_max(project, [match.offering_id for match in matches])
    return [
        _candidate(match, critical, needs, institutions, covered.get(match.offering_id))
        for match in matches
        if match.status not in CLOSED_TO_PACKAGES
    ]


def _reason_text(
    *,
    amount: int,
    need: int,
    instrument: str,
    score: float,
    covers_critical: bool,
    panel: int,
    role: str = "",
    size: int = 1,
) -> str:
    """One member's line, in the active language (a whole sentence each, so Chinese reads
    as Chinese: amounts in 万/亿, full-width punctuation)."""
    share = round(100 * amount / need) if need else 0
    text = _(
        "Carries %(amount)s, %(share)s%% of the %(instrument)s need; match score %(score)s."
    ) % {
        "amount": rmb(amount),
        "share": share,
        "instrument": Instrument(instrument).label.lower(),
        "score": round(score),
    }
    sentences = [text]
    if covers_critical:
        sentences.append(_("Covers the launch / in-orbit risk that lenders want insured."))
    if panel > 1:
        sentences.append(
            _("One of a panel of %(count)s insurers sharing this risk.") % {"count": panel}
        )
    if size > 1:
        sentences.append(_syndicate_part(instrument, role, size))
    # Chinese sentences follow each other after their 。; English ones after a space.
    return ("" if (get_language() or "").startswith("zh") else " ").join(sentences)


def _syndicate_part(instrument: str, role: str, size: int) -> str:
    """The member's part in a need shared by several financiers (#25)."""
    if instrument == Instrument.RISK_COVER:
        return _("Leads the panel.") if role == LEAD else _("Follows the panel's lead insurer.")
    if role == LEAD:
        return _("Leads a syndicate of %(count)s financiers for this need.") % {"count": size}
    return _("One of a syndicate of %(count)s financiers for this need.") % {"count": size}


def _reason(
    candidate: Candidate, amount: int, need: int, panel: int = 1, role: str = "", size: int = 1
) -> str:
    return _reason_text(
        amount=amount,
        need=need,
        instrument=INSTRUMENTS[candidate.instrument],
        score=candidate.score,
        covers_critical=candidate.covers_critical,
        panel=panel,
        role=role,
        size=size,
    )


def explain_members(project: Project, packages) -> None:
    """Write each member's ``reason`` in the reader's language (the stored one is in the
    language of the worker that built the package). Needs the members prefetched with
    their match and offering, and the project's needs."""
    needs = needs_vector(project)
    critical = set(project.exposures) & CRITICAL_EXPOSURES
    packages = list(packages)
    covered = covered_ticket_max(
        project, [m.match.offering_id for package in packages for m in package.members.all()]
    )
    for package in packages:
        members = list(package.members.all())
        institutions: dict = {}
        solved = SimpleNamespace(
            members=[
                (
                    _candidate(
                        m.match, critical, needs, institutions, covered.get(m.match.offering_id)
                    ),
                    m.amount,
                )
                for m in members
            ]
        )
        roles = syndicate_roles(solved, needs)
        sizes = {code: sum(1 for m in members if m.instrument == code) for code in INSTRUMENTS}
        for member in members:
            is_cover = member.instrument == Instrument.RISK_COVER
            member.reason = _reason_text(
                amount=member.amount,
                need=needs[INSTRUMENT[member.instrument]],
                instrument=member.instrument,
                score=member.match.score,
                covers_critical=is_cover
                and bool(critical & set(member.match.offering.exposures_covered)),
                panel=sizes[member.instrument] if is_cover else 1,
                role=roles[member.match_id],
                size=sizes[member.instrument],
            )


def wants_lead(project: Project) -> tuple[bool, ...]:
    """Per instrument, whether the firm's package must hold a financier able to lead: an
    equity round whose firm seeks a lead investor (`Project.round_role`)."""
    return tuple(
        code == Instrument.EQUITY and project.round_role == RoundRole.LEAD for code in INSTRUMENTS
    )


# Seconds the solver may spend on one project's packages in all (`build_packages`):
# one project's packages are ready within about this, and a full re-score's package
# building is bounded by it per project that changed.
PACKAGE_BUDGET_S = 1.0
# Part of every package's `inputs`: bump it when the solver's rules change, so that the
# next re-score rebuilds packages whose inputs did not change.
SOLVER_RULES = "1"


def inputs_fingerprint(candidates, needs, critical: bool, lead) -> str:
    """Everything the solver and the members' reasons read, as one short digest."""
    facts = (SOLVER_RULES, candidates, tuple(needs), critical, tuple(lead))
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def rebuild_packages(project_id: int) -> int:
    """Replace the project's packages; none for a project that is not submitted. When
    the solver's inputs are those the stored packages were built from (a re-score that
    changed nothing of the project's matches), they stay as they are: nothing solved,
    nothing written, so a full re-score's package building costs what changed.

    The solver runs before any transaction opens: on the embedded SQLite database a
    write transaction blocks every other writer (a log-in writes its session), so it
    is held only to swap the rows, never while solving."""
    project = Project.objects.filter(pk=project_id).prefetch_related("needs").first()
    if project is None:
        return 0
    needs = needs_vector(project)
    solved, inputs = [], ""
    if project.status == ProjectStatus.SUBMITTED:
        candidates = candidates_for(project)
        critical = bool(set(project.exposures) & CRITICAL_EXPOSURES)
        lead = wants_lead(project)
        inputs = inputs_fingerprint(candidates, needs, critical, lead)
        stored = set(Package.objects.filter(project=project).values_list("inputs", flat=True))
        if stored == {inputs}:
            return Package.objects.filter(project=project).count()
        solved = build_packages(
            candidates,
            needs,
            needs_critical_cover=critical,
            wants_lead=lead,
            budget=PACKAGE_BUDGET_S,
        )
    _replace_packages(project, needs, solved, inputs)
    return len(solved)


@transaction.atomic
def _replace_packages(project: Project, needs: list[int], solved: list, inputs: str = "") -> None:
    Project.objects.select_for_update().filter(pk=project.pk).exists()  # one rebuild at a time
    Package.objects.filter(project=project).delete()
    now = timezone.now()
    for rank, solution in enumerate(solved, start=1):
        package = Package.objects.create(
            project=project,
            rank=rank,
            inputs=inputs,
            coverage={
                code: round(solution.coverage[i], 4)
                for i, code in enumerate(INSTRUMENTS)
                if needs[i]
            },
            uncovered={
                code: solution.uncovered[i] for i, code in enumerate(INSTRUMENTS) if needs[i]
            },
            score=round(solution.score, 2),
            exact=solution.exact,
            computed_at=now,
        )
        panel = sum(1 for c, _amount in solution.members if c.instrument == RISK_COVER)
        roles = syndicate_roles(solution, needs)
        sizes = [sum(1 for c, _a in solution.members if c.instrument == i) for i in range(3)]
        PackageMember.objects.bulk_create(
            PackageMember(
                package=package,
                match_id=candidate.key,
                instrument=INSTRUMENTS[candidate.instrument],
                amount=amount,
                reason=_reason(
                    candidate,
                    amount,
                    needs[candidate.instrument],
                    panel if candidate.instrument == RISK_COVER else 1,
                    roles[candidate.key],
                    sizes[candidate.instrument],
                ),
            )
            for candidate, amount in solution.members
        )

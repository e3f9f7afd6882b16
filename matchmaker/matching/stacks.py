"""Capital-stack suggestions against the database: load a project's matches, call the
solver in `engine/packages.py`, and store the packages with a reason per member.

One of the adapter modules (with `encoding.py` and `scoring.py`) that may import the engine.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.engine.facts import RISK_COVER
from matchmaker.engine.packages import Candidate, build_packages
from matchmaker.matching.encoding import INSTRUMENT, covered_ticket_max, needs_vector
from matchmaker.models import Match, MatchStatus, Package, PackageMember
from matchmaker.money import rmb
from matchmaker.vocabulary import Exposure, Instrument
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


def candidates_for(project: Project) -> list[Candidate]:
    matches = Match.objects.filter(project=project, eligible=True).select_related("offering")
    institution_numbers: dict = {}
    critical = set(project.exposures) & CRITICAL_EXPOSURES
    needs = needs_vector(project)
    covered = covered_ticket_max(project, [match.offering_id for match in matches])
    return [
        Candidate(
            key=match.pk,
            institution=institution_numbers.setdefault(
                match.offering.institution_id, len(institution_numbers)
            ),
            instrument=INSTRUMENT[match.offering.instrument],
            ticket_min=match.offering.ticket_min,
            carry=carry(match.offering, needs, covered.get(match.offering_id)),
            score=match.score,
            covers_critical=match.offering.instrument == Instrument.RISK_COVER
            and bool(critical & set(match.offering.exposures_covered)),
        )
        for match in matches
        if match.status not in CLOSED_TO_PACKAGES
    ]


def _reason(candidate: Candidate, amount: int, need: int, panel: int = 1) -> str:
    share = round(100 * amount / need) if need else 0
    text = _(
        "Carries %(amount)s, %(share)s%% of the %(instrument)s need; match score %(score)s."
    ) % {
        "amount": rmb(amount),
        "share": share,
        "instrument": Instrument(INSTRUMENTS[candidate.instrument]).label.lower(),
        "score": round(candidate.score),
    }
    if candidate.covers_critical:
        text += " " + _("Covers the launch / in-orbit risk that lenders want insured.")
    if panel > 1:
        text += " " + _("One of a panel of %(count)s insurers sharing this risk.") % {
            "count": panel
        }
    return text


def rebuild_packages(project_id: int) -> int:
    """Replace the project's packages; none for a project that is not submitted.

    The solver runs before any transaction opens: on the embedded SQLite database a
    write transaction blocks every other writer (a log-in writes its session), so it
    is held only to swap the rows, never while solving."""
    project = Project.objects.filter(pk=project_id).prefetch_related("needs").first()
    if project is None:
        return 0
    needs = needs_vector(project)
    solved = []
    if project.status == ProjectStatus.SUBMITTED:
        solved = build_packages(
            candidates_for(project),
            needs,
            needs_critical_cover=bool(set(project.exposures) & CRITICAL_EXPOSURES),
        )
    _replace_packages(project, needs, solved)
    return len(solved)


@transaction.atomic
def _replace_packages(project: Project, needs: list[int], solved: list) -> None:
    Project.objects.select_for_update().filter(pk=project.pk).exists()  # one rebuild at a time
    Package.objects.filter(project=project).delete()
    now = timezone.now()
    for rank, solution in enumerate(solved, start=1):
        package = Package.objects.create(
            project=project,
            rank=rank,
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
                ),
            )
            for candidate, amount in solution.members
        )

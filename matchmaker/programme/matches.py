"""What the programme adds to one match's page: the tool that decided it, in words."""

from matchmaker.matching.encoding import covering_enrolment
from matchmaker.models import Match
from matchmaker.programme import wording
from matchmaker.programme.selectors import approved_enrolments


def programme_notes(match: Match, audience: str) -> dict:
    """{"cover": sentence or "", "costs": [lines]} for the firm or the institution:
    the covered terms that decided the pair, the firm's net cost per enrolled tool, the
    financier's covered loss."""
    deciding = covering_enrolment(match.project, match.offering)
    lines = []
    for enrolment in approved_enrolments([match.offering_id]).select_related(
        "offering__institution"
    ):
        line = (
            wording.net_cost(enrolment) if audience == "firm" else wording.covered_loss(enrolment)
        )
        if line:
            lines.append(line)
    return {"cover": wording.cover_sentence(deciding) if deciding else "", "costs": lines}

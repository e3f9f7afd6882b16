"""The API match list's rows, written out in Python (issue #26).

`MatchSerializer` stays the contract: the schema, one match's page and the decisions'
answers. A list row through it walked some seventy DRF fields, each asked for its
attribute, its source and its representation; here a row is one dict written by hand, a
fifth of a served list request's time less. A test renders both for matches of every shape
and compares the JSON byte for byte (`tests/api/test_match_rows.py`): a field added to the
serializer and not here fails it.
"""

from rest_framework import serializers

from matchmaker.dealroom.conditions import describe, waiting_condition
from matchmaker.matching.encoding import covering_enrolments
from matchmaker.matching.explain import explain, syndicate_part
from matchmaker.models import Match
from matchmaker.money import pinned_language

# DRF's own: the timestamp in the current time zone, ISO 8601 (its "Z" for UTC)
_DATETIME = serializers.DateTimeField()


def match_rows(matches: list[Match], context: dict) -> list[dict]:
    """`MatchSerializer(matches, many=True, context=context).data` for a list (no
    programme notes: those are one match's page's)."""
    covers = covering_enrolments(matches)
    defaults, memo = context.get("default_weights"), context.get("explain_memo")
    with pinned_language():  # the rows' wording reads the language once (`money.language`)
        return [_row(match, covers[match.pk], defaults, memo) for match in matches]


def _row(match: Match, cover, defaults, memo) -> dict:
    offering = match.offering
    institution = offering.institution
    return {
        "id": int(match.pk),
        "score": float(match.score),
        "status": str(match.status),
        "eligible": bool(match.eligible),
        "project": _project(match.project),
        "offering": {
            "id": int(offering.pk),
            "name": str(offering.name),
            "instrument": str(offering.instrument),
        },
        "institution": {
            "id": str(institution.pk),
            "name": str(institution.name),
            "institution_type": str(institution.institution_type),
        },
        "components": components_payload(match, defaults, cover, memo),
        "syndicate": vars(syndicate_part(match)),
        "computed_at": _DATETIME.to_representation(match.computed_at),
        "revisit": revisit_payload(match),
        "programme": None,
    }


def _project(project) -> dict:
    """`ProjectBriefSerializer`: what an institution may see before an introduction."""
    return {
        "id": int(project.pk),
        "title": str(project.title),
        "summary": str(project.summary),
        "segment": str(project.segment),
        "stage": str(project.stage),
        "trl": int(project.trl),
        "needs": [
            {"instrument": str(need.instrument), "amount": int(need.amount)}
            for need in project.needs.all()
        ],
        "months_to_revenue": int(project.months_to_revenue),
        "months_to_break_even": int(project.months_to_break_even),
        "exposures": [str(code) for code in project.exposures],
        "collateral": [str(code) for code in project.collateral],
        "region": str(project.region),
        "status": str(project.status),
    }


def components_payload(match: Match, defaults, cover, memo) -> list[dict]:
    """Every criterion of the match, explained (`MatchSerializer.components`)."""
    return [
        {"criterion": c.criterion, "value": c.value, "weight": c.weight, "reason": c.reason}
        for c in explain(match, defaults, cover, memo)
    ]


def revisit_payload(match: Match) -> dict | None:
    """A "not now" decline: what the institution waits for (never its private note)."""
    condition = waiting_condition(match)
    if condition is None:
        return None
    return {
        "kind": condition.kind,
        "trl": condition.trl,
        "on_date": condition.on_date,
        "words": describe(condition),
    }

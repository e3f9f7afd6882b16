"""A scored match between a firm and an institution, with a member on each side."""

from dataclasses import dataclass

from matchmaker.matching import scoring
from matchmaker.models import Match
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)


@dataclass
class Pair:
    match: Match
    firm_user: object
    institution_user: object


def matched_pair(**project_fields) -> Pair:
    firm_member = FirmMemberFactory()
    institution_member = InstitutionMemberFactory()
    project = ProjectFactory(firm=firm_member.firm, **project_fields)
    offering = OfferingFactory(institution=institution_member.institution)
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project, offering=offering)
    return Pair(match, firm_member.user, institution_member.user)


# How the institution's match table (`list_table.read_table`) starts its read of the
# matches: tests tell it from the other queries by it.
TABLE_READ = 'SELECT "matchmaker_match"."id" AS "id", "matchmaker_match"."project_id" AS'

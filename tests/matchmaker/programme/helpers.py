"""A bank's TRL-7 loan, a TRL-6 project of a firm on the programme list, and the office."""

from dataclasses import dataclass

from matchmaker.programme import services as programme
from matchmaker.programme.models import Tool
from tests.factories import (
    FirmMemberFactory,
    InstitutionFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
    ToolFactory,
    UserFactory,
)


@dataclass
class Scene:
    office: object
    firm_user: object
    bank_user: object
    project: object
    loan: object
    tool: Tool


def scene(**tool_fields) -> Scene:
    office = UserFactory(is_staff=True)
    firm_user = FirmMemberFactory().user
    bank = InstitutionFactory(institution_type="bank")
    bank_user = InstitutionMemberFactory(institution=bank).user
    project = ProjectFactory(
        firm=firm_user.firm_membership.firm, trl=6, needs={"credit": 20_000_000}
    )
    loan = OfferingFactory(
        institution=bank,
        name="Technology loan",
        instrument="credit",
        product_type="term_loan",
        ticket_min=5_000_000,
        ticket_max=50_000_000,
        trl_min=7,
        trl_max=9,
    )
    tool = ToolFactory(**{"required_lists": ["programme"], **tool_fields})
    return Scene(office, firm_user, bank_user, project, loan, tool)


def put_on_list(s: Scene, programme_list: str = "programme") -> None:
    membership = programme.membership_claim(
        firm=s.project.firm,
        programme_list=programme_list,
        evidence="Notice 2025/12",
        by=s.firm_user,
    )
    programme.membership_decide(membership=membership, confirm=True, by=s.office)


def enrol(s: Scene, tool=None, **covered):
    enrolment = programme.enrolment_request(
        offering=s.loan, tool=tool or s.tool, by=s.bank_user, **covered
    )
    return programme.enrolment_decide(enrolment=enrolment, approve=True, by=s.office)


def to_term_sheet(match, institution_user, firm_user):
    """Introduction asked and accepted, then a term sheet: the match may close as won."""
    from matchmaker.models import Match, MatchStatus
    from matchmaker.review import services as review
    from matchmaker.review.introductions import introduction_answer, introduction_request

    intro = introduction_request(match=match, message="Hello", by=institution_user)
    introduction_answer(introduction=intro, accept=True, by=firm_user)
    return review.match_move(
        match=Match.objects.get(pk=match.pk), to_status=MatchStatus.TERM_SHEET, by=institution_user
    )

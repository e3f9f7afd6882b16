"""Every page of every role, with a world to show on them: one scored match with a package
and an introduction, documents, a milestone, an operator and a scoring run. Shared by the
language checks and the accessibility walk."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from matchmaker.matching import scoring, stacks
from matchmaker.models import LearnedWeights, Profile, ScoringRun
from matchmaker.review.introductions import introduction_request
from matchmaker.webhooks import services as webhooks
from matchmaker.webhooks.models import Endpoint
from projects.models import Document
from tests.factories import (
    FirmFactory,
    FirmMemberFactory,
    InstitutionFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
    UserFactory,
)

CHINESE_DATA = {
    "firm": "松江星联科技",
    "person": "李娜",
    "institution": "浦东科创银行",
    "project": "相控阵天线生产线",
    "summary": "面向低轨用户终端的相控阵天线。",
    "milestone": "首批交付",
    "offering": "科创成长股权",
    "message": "您好，希望进一步沟通。",
    "file": "计划书.pdf",
}
ENGLISH_DATA = {
    "firm": "Songjiang Starlink Tech",
    "person": "Li Na",
    "institution": "Pudong Innovation Bank",
    "project": "Phased-array antenna line",
    "summary": "Phased-array antennas for LEO user terminals.",
    "milestone": "First deliveries",
    "offering": "Growth equity",
    "message": "Hello, we would like to talk.",
    "file": "deck.pdf",
}


# What each kind of institution offers in the page walk.
OFFERING_OF_TYPE = {
    "vc_fund": {"instrument": "equity"},
    "guidance_fund": {"instrument": "equity"},
    "bank": {"instrument": "credit", "product_type": "term_loan"},
    "insurer": {
        "instrument": "risk_cover",
        "product_type": "launch_insurance",
        "exposures_covered": ["launch_failure"],
    },
    "guarantor": {"instrument": "credit", "product_type": "credit_guarantee"},
}


def world(chinese: bool, institution_type: str = "vc_fund"):
    """Both sides, a scored match with a package and an introduction, an operator; names
    in the language the pages are read in, so any word of the other language is ours."""
    words = CHINESE_DATA if chinese else ENGLISH_DATA
    firm_member = FirmMemberFactory(
        firm=FirmFactory(name=words["firm"], contact_name=words["person"]),
        user=UserFactory(username="lina"),
    )
    institution_member = InstitutionMemberFactory(
        institution=InstitutionFactory(
            name=words["institution"],
            contact_name=words["person"],
            institution_type=institution_type,
        ),
        user=UserFactory(username="wangwei"),
    )
    project = ProjectFactory(
        firm=firm_member.firm,
        title=words["project"],
        summary=words["summary"],
        city="上海" if chinese else "Shanghai",
        needs={"equity": 50_000_000, "credit": 20_000_000, "risk_cover": 30_000_000},
    )
    project.milestones.create(title=words["milestone"], due_date="2028-03-01")
    document = Document(project=project, kind="pitch_deck", original_name=words["file"], size=9)
    document.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    offering = OfferingFactory(
        institution=institution_member.institution,
        name=words["offering"],
        **OFFERING_OF_TYPE[institution_type],
    )
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    match = project.matches.get(offering=offering)
    operator = get_user_model().objects.create_user("yunying", password="pw", is_staff=True)
    for user in (firm_member.user, institution_member.user, operator):  # their own language
        Profile.objects.create(user=user, language="zh-hans" if chinese else "en")
    introduction_request(match=match, by=institution_member.user, message=words["message"])
    LearnedWeights.objects.create(
        offering=offering, multipliers={"trl": 1.6, "segment": 0.7}, decisions=12
    )
    ScoringRun.objects.create(started_at=project.created_at, chunks_total=2, chunks_done=1)
    programme_world(chinese, firm_member, institution_member, offering, operator)
    endpoint = Endpoint.objects.create(
        institution=offering.institution,
        url="https://hooks.bank.example/matchmaker",
        events=["match.created", "introduction.accepted"],
        secret="whsec_test",
    )
    webhooks.endpoint_ping(endpoint=endpoint, by=institution_member.user)  # one log line
    return firm_member, institution_member, operator, project, offering, match


def programme_world(chinese, firm_member, institution_member, offering, operator) -> None:
    """A tool named in the page's language, the firm on its list, the offering enrolled
    with covered terms, and a claim on the list waiting for the office."""
    from matchmaker.programme import services as programme
    from tests.factories import ToolFactory

    tool = ToolFactory(
        kind="premium_subsidy",
        name_en="Premium subsidy",
        name_zh="保费补贴",
        legal_basis="沪科〔2025〕212号" if chinese else "Science commission notice 212 (2025)",
        loss_band_low_bp=None,
        loss_band_high_bp=None,
        required_lists=["high_tech"],
    )
    membership = programme.membership_claim(
        firm=firm_member.firm,
        programme_list="high_tech",
        evidence="沪高企 2025" if chinese else "Register 2025",
        by=firm_member.user,
    )
    programme.membership_decide(membership=membership, confirm=True, by=operator)
    programme.membership_claim(
        firm=firm_member.firm,
        programme_list="programme",
        evidence="平台名录" if chinese else "Programme register",
        by=firm_member.user,
    )
    enrolment = programme.enrolment_request(
        offering=offering,
        tool=tool,
        covered_trl_min=5,
        indicative_rate_bp=1800,
        by=institution_member.user,
    )
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=operator)


def pages(project, offering, match) -> dict[str, list[str]]:
    from django.utils import timezone

    from matchmaker.programme.models import Tool

    p, o, m = project.pk, offering.pk, match.pk
    tool, year = Tool.objects.order_by("pk").first(), timezone.localdate().year
    endpoint = Endpoint.objects.filter(institution=offering.institution_id).first()
    steps = ["basics", "needs", "risks", "documents", "review"]
    return {
        "anonymous": ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"],
        "firm": [
            "/",
            "/projects/",
            "/projects/new/",
            f"/projects/{p}/",
            *[f"/projects/{p}/edit/{step}/" for step in steps],
            f"/firm/projects/{p}/matches/",
            f"/firm/matches/{m}/",
            "/firm/introductions/",
            f"/firm/projects/{p}/access/",
            "/notifications/",
            "/notifications/settings/",
            "/accounts/password_change/",
            "/programme/firm/",
            "/webhooks/",
        ],
        "institution": [
            "/",
            "/offerings/",
            "/offerings/new/",
            f"/offerings/{o}/",
            f"/offerings/{o}/edit/",
            "/institution/matches/",
            f"/institution/matches/{m}/",
            "/institution/pipeline/",
            "/notifications/",
            "/programme/institution/",
            f"/programme/institution/matches/{m}/close/",
            "/webhooks/",
            *([f"/webhooks/{endpoint.pk}/"] if endpoint else []),
        ],
        "operator": [
            "/operator/",
            "/operator/?by=segment",
            "/operator/?by=instrument",
            "/operator/verification/",
            "/operator/weights/",
            "/operator/scoring/",
            "/operator/declines/",
            "/programme/office/",
            "/programme/office/tools/new/",
            f"/programme/office/tools/{tool.pk}/",
            f"/programme/office/tools/{tool.pk}/{year}/",
        ],
    }

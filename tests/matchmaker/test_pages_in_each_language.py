"""Every page of every role, rendered in Chinese, shows no English word of ours; rendered
in English, no Chinese (but the language switch's own name). Latin text is allowed in
Chinese pages only for codes, units and file types."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client

from matchmaker.matching import scoring, stacks
from matchmaker.models import Profile, ScoringRun
from matchmaker.review import services as review
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

pytestmark = pytest.mark.django_db

# Latin words a Chinese page may show: codes, units, file types, the switch's "English".
ALLOWED_LATIN = {"English", "CSV", "ISO", "KiB", "TRL"}
FILE_TYPES = {"pdf", "pptx", "xlsx"}
ATTRIBUTES_PEOPLE_READ = {"aria-label", "title", "placeholder", "alt", "data-label"}


class VisibleText(HTMLParser):
    """The words a person reads or hears: text outside script and style, and labels."""

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        self.parts += [value or "" for name, value in attrs if name in ATTRIBUTES_PEOPLE_READ]
        if tag == "option" or tag == "input":
            self.parts += [
                value or ""
                for name, value in attrs
                if name == "value" and tag == "input" and ("type", "submit") in attrs
            ]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


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


def world(chinese: bool):
    """Both sides, a scored match with a package and an introduction, an operator; names
    in the language the pages are read in, so any word of the other language is ours."""
    words = CHINESE_DATA if chinese else ENGLISH_DATA
    firm_member = FirmMemberFactory(
        firm=FirmFactory(name=words["firm"], contact_name=words["person"]),
        user=UserFactory(username="lina"),
    )
    institution_member = InstitutionMemberFactory(
        institution=InstitutionFactory(name=words["institution"], contact_name=words["person"]),
        user=UserFactory(username="wangwei"),
    )
    project = ProjectFactory(
        firm=firm_member.firm,
        title=words["project"],
        summary=words["summary"],
        city="上海" if chinese else "Shanghai",
    )
    project.milestones.create(title=words["milestone"], due_date="2028-03-01")
    document = Document(project=project, kind="pitch_deck", original_name=words["file"], size=9)
    document.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    offering = OfferingFactory(institution=institution_member.institution, name=words["offering"])
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    match = project.matches.get(offering=offering)
    operator = get_user_model().objects.create_user("yunying", password="pw", is_staff=True)
    for user in (firm_member.user, institution_member.user, operator):  # their own language
        Profile.objects.create(user=user, language="zh-hans" if chinese else "en")
    review.request_introduction(match, institution_member.user, words["message"])
    ScoringRun.objects.create(started_at=project.created_at, chunks_total=2, chunks_done=1)
    return firm_member, institution_member, operator, project, offering, match


def pages(project, offering, match) -> dict[str, list[str]]:
    p, o, m = project.pk, offering.pk, match.pk
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
        ],
        "operator": [
            "/operator/",
            "/operator/?by=segment",
            "/operator/?by=instrument",
            "/operator/verification/",
            "/operator/weights/",
            "/operator/scoring/",
        ],
    }


def english_words_of_ours(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return sorted(
        {w for w in words if w not in ALLOWED_LATIN and w.lower() not in FILE_TYPES and len(w) > 1}
    )


ROLES = ["anonymous", "firm", "institution", "operator"]


def visible_texts(role: str, chinese: bool):
    """(url, visible text) of every page of the role, in a world and a browser of one
    language; the signed-in user's own name and the city are data, left out."""
    firm_member, institution_member, operator, project, offering, match = world(chinese)
    users = {"firm": firm_member.user, "institution": institution_member.user}
    users["operator"] = operator
    client = Client()
    if role in users:
        client.force_login(users[role])
    for url in pages(project, offering, match)[role]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN" if chinese else "en")
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        yield url, text.replace(users.get(role, operator).get_username(), "").replace("上海", "")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_chinese_shows_no_english_of_ours(role):
    for url, text in visible_texts(role, chinese=True):
        assert english_words_of_ours(text) == [], (url, english_words_of_ours(text))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_english_shows_no_chinese_but_the_switch(role):
    for url, text in visible_texts(role, chinese=False):
        chinese = re.findall(
            r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text.replace("中文", "")
        )
        assert chinese == [], (url, chinese)

"""Every page of every role, rendered in Chinese, shows no English word of ours; rendered
in English, no Chinese (but the language switch's own name). Latin text is allowed in
Chinese pages only for codes, units and file types."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.pages import pages, world

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


def english_words_of_ours(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return sorted(
        {w for w in words if w not in ALLOWED_LATIN and w.lower() not in FILE_TYPES and len(w) > 1}
    )


# Addresses and ids a person pasted or copies (a webhook's URL, an event id) are data.
DATA_IDENTIFIERS = r"https?://\S*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

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
        text = re.sub(DATA_IDENTIFIERS, "", text)
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

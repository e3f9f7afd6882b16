"""The cards of an institution's match list are written from its table (`list_table`: a
match's score, status, offering and eligibility) and each project's facts, which the web
process keeps (`card_projects`): another sort, filter,
page or page size, and another institution's list, reads no match, project or need again
(#26). Never stale, never another institution's, never another language's, never a card
with other matches."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from investors.services import offering_update
from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import cards as card_html
from matchmaker.review import kept_projects
from matchmaker.review import services as review
from matchmaker.review.kept_projects import (
    card_projects,
    forget_kept_projects,
    warm_kept_projects,
)
from projects.models import FundingNeed, Project
from projects.services import project_update
from tests.conftest import logged_in_client, project_edited
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/institution/matches/"
CARD = re.compile(r'<article class="card match-group">.*?</article>', re.S)


def cards(page) -> list[str]:
    return CARD.findall(page.content.decode())


def matches_read(queries) -> list[str]:
    """The page's matches, read with their projects and offerings (`groups_of`)."""
    return [q["sql"] for q in queries if '"matchmaker_match"."project_id" IN (' in q["sql"]]


def card_facts_read(queries) -> list[str]:
    """The page's projects' or needs' facts, read by their keys (`card_projects`,
    `groups_of`)."""
    by_key = ('"projects_project"."id" IN (', '"matchmaker_match"."project_id" IN (')
    return [
        q["sql"]
        for q in queries
        if ('"projects_project"."title"' in q["sql"] and any(k in q["sql"] for k in by_key))
        or 'FROM "projects_fundingneed"' in q["sql"]
    ]


@pytest.fixture
def listed():
    """An institution with two offerings, each matched to three projects."""
    member = InstitutionMemberFactory()
    offerings = [
        OfferingFactory(institution=member.institution, name=name)
        for name in ("Growth equity", "Venture debt")
    ]
    for title in ("Ka-band terminal line", "Propellant depot", "Star tracker line"):
        scoring.score_project(ProjectFactory(title=title).pk)
    assert Match.objects.filter(offering__in=offerings).count() == 6
    return member, offerings, logged_in_client(member.user)


def test_another_sort_shows_the_kept_cards_without_reading_a_match(listed):
    _member, _offerings, client = listed
    best_first = cards(client.get(URL))
    with CaptureQueriesContext(connection) as again:
        lowest_first = cards(client.get(URL + "?sort=score"))
    assert matches_read(again.captured_queries) == []
    assert len(best_first) == 3 and sorted(lowest_first) == sorted(best_first)


def test_cards_from_kept_facts_are_the_cards_read_afresh(listed):
    _member, _offerings, client = listed
    client.get(URL)
    client.get(URL + "?page_size=2")
    with CaptureQueriesContext(connection) as kept_read:
        assembled = cards(client.get(URL + "?sort=newest"))
    assert card_facts_read(kept_read.captured_queries) == []  # kept
    cache.clear()
    forget_kept_projects()
    with CaptureQueriesContext(connection) as fresh_read:
        fresh = cards(client.get(URL + "?sort=newest"))
    assert card_facts_read(fresh_read.captured_queries)  # read afresh
    assert assembled == fresh and len(fresh) == 3


def test_an_edited_project_shows_at_once(listed):
    _member, _offerings, client = listed
    client.get(URL)
    project_edited("Propellant depot", "Propellant depot II", {"equity": 77_000_000})
    page = client.get(URL + "?sort=score").content.decode()
    assert "Propellant depot II" in page and "RMB 77,000,000" in page


def test_a_renamed_offering_shows_in_the_cards_at_once(listed):
    member, offerings, client = listed
    client.get(URL)
    offering_update(offering=offerings[0], by=member.user, fields={"name": "Hard-tech equity"})
    shown = cards(client.get(URL + "?sort=score"))
    assert all("Hard-tech equity" in card and "Growth equity" not in card for card in shown)


def test_a_late_commit_the_fingerprint_misses_shows_after_the_next_sweep(listed, monkeypatch):
    """A change stamped before the last change the process knew of, by more than
    `LATE_COMMIT_SECONDS`, leaves the fingerprint as it was; the sweep every
    `KEPT_PROJECTS_SECONDS` finds it all the same."""
    _member, _offerings, client = listed
    client.get(URL)  # (the last change known: the sweep looks again from it)
    known = Project.objects.order_by("-updated_at")[0].updated_at
    # another change, two minutes later by its stamp: the fingerprint moves
    Project.objects.filter(title="Star tracker line").update(
        title="Star tracker line II", updated_at=known + timedelta(minutes=2)
    )
    cache.clear()
    assert "Star tracker line II" in client.get(URL).content.decode()
    # then a change stamped before it (its transaction committed after), past the grace
    Project.objects.filter(title="Propellant depot").update(
        title="Depot, late", updated_at=known + timedelta(seconds=30)
    )
    cache.clear()
    assert "Depot, late" not in client.get(URL).content.decode()  # the race as it is
    later = time.monotonic() + kept_projects.KEPT_PROJECTS_SECONDS + 1
    monkeypatch.setattr(kept_projects, "time", SimpleNamespace(monotonic=lambda: later))
    cache.clear()
    assert "Depot, late" in client.get(URL).content.decode()


def first_page_after_warm_up(client) -> tuple[list[str], list[dict]]:
    """A started web process's first page (`warm_kept_projects`, nothing cached): its
    cards and its queries."""
    forget_kept_projects()
    warm_kept_projects()
    cache.clear()
    with CaptureQueriesContext(connection) as read:
        shown = cards(client.get(URL))
    return shown, read.captured_queries


def test_a_warmed_process_reads_no_projects_facts_for_a_page(listed):
    _member, _offerings, client = listed
    shown, queries = first_page_after_warm_up(client)
    assert len(shown) == 3 and card_facts_read(queries) == []


def stamps_read(queries) -> list[str]:
    """Reads of the projects' stamps to find what changed (`KeptProjects._forget_changed`)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(
            'SELECT "projects_project"."id" AS "pk", "projects_project"."updated_at"'
        )
    ]


def test_a_warmed_process_looks_for_no_change_on_its_first_page_when_none_was_made(listed):
    """The projects' fingerprint is kept as the one the warm-up read them under: the
    first page read the stamps of every project changed in the minute before the last
    change (at the benchmark's size, all 10,000: ≈ 90 ms of each worker's first page)."""
    _member, _offerings, client = listed
    shown, queries = first_page_after_warm_up(client)
    assert len(shown) == 3 and stamps_read(queries) == []
    project = Project.objects.get(title="Propellant depot")
    project_update(project=project, by=None, fields={"title": "Propellant depot II"})
    cache.clear()
    with CaptureQueriesContext(connection) as read:
        page = client.get(URL).content.decode()
    assert "Propellant depot II" in page and len(stamps_read(read.captured_queries)) == 1


def test_a_change_between_the_warm_up_and_the_first_page_shows(listed):
    _member, _offerings, client = listed
    forget_kept_projects()
    warm_kept_projects()
    project = Project.objects.get(title="Propellant depot")
    project_update(project=project, by=None, fields={"title": "Propellant depot II"})
    cache.clear()
    assert "Propellant depot II" in client.get(URL).content.decode()


def test_a_project_gone_since_its_matches_were_listed_has_no_card(listed):
    project = Project.objects.get(title="Star tracker line")
    version = "any"
    assert card_projects([project.pk], version)
    Project.objects.filter(pk=project.pk).delete()
    forget_kept_projects()
    assert card_projects([project.pk], version) == {}


def test_a_card_that_shows_other_matches_is_another_card(listed):
    _member, offerings, client = listed
    both = cards(client.get(URL))
    assert all("Growth equity" in card and "Venture debt" in card for card in both)
    one = cards(client.get(URL + f"?offering={offerings[1].pk}"))
    assert len(one) == 3
    assert all("Venture debt" in card and "Growth equity" not in card for card in one)


def test_a_decision_changes_the_kept_card_at_once(listed):
    member, offerings, client = listed
    client.get(URL)
    match = Match.objects.filter(offering=offerings[0]).first()
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    moved = client.get(URL + "?sort=score").content.decode()
    assert '<span class="badge shortlisted">Shortlisted</span>' in moved


def test_another_institution_never_gets_a_kept_card(listed):
    """Its own offerings on its cards, and no project read again that the process
    keeps."""
    _member, _offerings, client = listed
    client.get(URL)
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution, name="Launch cover")
    for project_id in Match.objects.values_list("project_id", flat=True).distinct():
        scoring.score_project(project_id)
    with CaptureQueriesContext(connection) as read:
        theirs = cards(logged_in_client(other.user).get(URL + "?sort=score"))
    assert len(theirs) == 3
    assert all("Launch cover" in card for card in theirs)
    assert not any("Growth equity" in card or "Venture debt" in card for card in theirs)
    assert card_facts_read(read.captured_queries) == []


def test_each_language_gets_its_own_kept_cards(listed):
    _member, _offerings, client = listed
    client.get(URL)
    chinese = cards(client.get(URL + "?sort=score", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert len(chinese) == 3
    assert all("列入关注" in card and ">Shortlist<" not in card for card in chinese)


def test_cards_are_built_from_values_not_model_instances(listed):
    """A page of cards built afresh reads its matches, projects and needs as plain values:
    as model instances (a match, its project and its offering each) they took some 40 %
    longer to read (#26)."""
    _member, _offerings, client = listed
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in (Match, Project, FundingNeed):
        post_init.connect(count, sender=model, weak=False)
    try:
        fresh = cards(client.get(URL))
    finally:
        for model in (Match, Project, FundingNeed):
            post_init.disconnect(count, sender=model)
    assert len(fresh) == 3 and all("Growth equity" in card for card in fresh)
    assert built == []


def projects_read(queries) -> list[str]:
    """The projects' facts read by their keys (`card_projects`)."""
    return [
        q["sql"]
        for q in queries
        if '"projects_project"."title"' in q["sql"] and '"projects_project"."id" IN (' in q["sql"]
    ]


def test_an_edit_forgets_that_project_alone(listed):
    _member, _offerings, client = listed
    client.get(URL)
    project = Project.objects.get(title="Propellant depot")
    project_update(project=project, by=None, fields={"title": "Propellant depot II"})
    with CaptureQueriesContext(connection) as read:
        page = client.get(URL + "?sort=score").content.decode()
    assert "Propellant depot II" in page
    (sql,) = projects_read(read.captured_queries)
    assert f"IN ({project.pk})" in sql


def test_a_late_commit_shows_when_the_next_change_moves_the_fingerprint(listed):
    """A change stamped before the last one the process knew of (its transaction
    committed after that one's) is seen at the next change, within
    `LATE_COMMIT_SECONDS`."""
    _member, _offerings, client = listed
    client.get(URL)
    last = Project.objects.order_by("-updated_at")[0].updated_at
    late = last - timedelta(seconds=kept_projects.LATE_COMMIT_SECONDS / 2)
    Project.objects.filter(title="Propellant depot").update(title="Depot, late", updated_at=late)
    other = Project.objects.get(title="Star tracker line")
    project_update(project=other, by=None, fields={"title": "Star tracker line II"})
    cache.clear()
    page = client.get(URL).content.decode()
    assert "Depot, late" in page and "Star tracker line II" in page


def test_a_projects_card_text_is_written_once_per_language(listed, monkeypatch):
    _member, _offerings, client = listed
    written = []
    real = card_html.project_head
    monkeypatch.setattr(
        card_html,
        "project_head",
        lambda group, words: written.append(words["language"]) or real(group, words),
    )
    client.get(URL)
    client.get(URL + "?sort=score")
    assert written == ["en"] * 3
    chinese = cards(client.get(URL + "?sort=newest", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert written == ["en"] * 3 + ["zh-hans"] * 3
    assert all("技术成熟度" in card for card in chinese)


def test_a_process_reads_at_most_kept_projects_warm_projects_at_start(settings):
    """`KEPT_PROJECTS_WARM`: the most recently changed; the others when first shown."""
    older, newer = ProjectFactory(title="Older"), ProjectFactory(title="Newer")
    Project.objects.filter(pk=older.pk).update(updated_at=newer.updated_at - timedelta(days=1))
    settings.KEPT_PROJECTS_WARM = 1
    forget_kept_projects()
    warm_kept_projects()
    assert set(kept_projects._kept.facts) == {newer.pk}
    settings.KEPT_PROJECTS_WARM = 0
    forget_kept_projects()
    warm_kept_projects()
    assert kept_projects._kept.facts == {}
    assert card_projects([older.pk], "any")[older.pk].project.title == "Older"  # when shown

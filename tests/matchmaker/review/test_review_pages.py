"""Both sides' review pages: who may open what, and what each side sees."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import AccessLog, Match, MatchStatus
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from projects import services as project_services
from projects.models import Document
from tests.conftest import logged_in_client
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    pair = matched_pair()
    document = Document(
        project=pair.match.project, kind="pitch_deck", original_name="deck.pdf", size=9
    )
    document.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    pair.document = document
    return pair


def institution_urls(pair):
    match = pair.match
    return [
        ("get", reverse("institution:match_detail", args=[match.pk])),
        ("post", reverse("institution:shortlist", args=[match.pk])),
        ("post", reverse("institution:decline", args=[match.pk])),
        ("post", reverse("institution:request_intro", args=[match.pk])),
        ("post", reverse("institution:undo", args=[match.pk])),
        ("post", reverse("institution:move", args=[match.pk])),
        ("get", reverse("institution:document", args=[match.pk, pair.document.pk])),
    ]


def test_another_institution_gets_404_on_every_match_url(pair):
    outsider = logged_in_client(InstitutionMemberFactory().user)
    for method, url in institution_urls(pair):
        assert getattr(outsider, method)(url).status_code == 404, url
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW
    assert not AccessLog.objects.exists()


def test_firm_members_cannot_open_institution_pages(pair):
    firm = logged_in_client(pair.firm_user)
    for method, url in [
        ("get", reverse("institution:match_list")),
        ("get", reverse("institution:pipeline")),
        *institution_urls(pair),
    ]:
        assert getattr(firm, method)(url).status_code == 403, url


def test_an_institution_never_sees_an_unmatched_project(pair):
    unmatched = ProjectFactory(trl=2)
    scoring.score_project(unmatched.pk)
    client = logged_in_client(pair.institution_user)
    assert unmatched.title not in client.get(reverse("institution:match_list")).content.decode()
    assert not Match.objects.filter(project=unmatched).exists()


def test_contacts_and_documents_are_hidden_until_the_firm_accepts(pair):
    client = logged_in_client(pair.institution_user)
    firm = pair.match.project.firm
    page = client.get(reverse("institution:match_detail", args=[pair.match.pk])).content.decode()
    assert firm.contact_email not in page and firm.name not in page and "deck.pdf" not in page
    document_url = reverse("institution:document", args=[pair.match.pk, pair.document.pk])
    assert client.get(document_url).status_code == 404

    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    assert (
        firm.contact_email
        not in client.get(
            reverse("institution:match_detail", args=[pair.match.pk])
        ).content.decode()
    )
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    page = client.get(reverse("institution:match_detail", args=[pair.match.pk])).content.decode()
    assert firm.contact_email in page and firm.contact_phone in page and "deck.pdf" in page
    response = client.get(document_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"


def test_views_and_downloads_are_logged_and_shown_to_the_firm(pair):
    client = logged_in_client(pair.institution_user)
    client.get(reverse("institution:match_detail", args=[pair.match.pk]))
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    client.get(reverse("institution:document", args=[pair.match.pk, pair.document.pk]))
    assert list(AccessLog.objects.order_by("at").values_list("kind", flat=True)) == [
        "view",
        "download",
    ]
    page = (
        logged_in_client(pair.firm_user)
        .get(reverse("firm:access_log", args=[pair.match.project_id]))
        .content.decode()
    )
    assert pair.match.offering.institution.name in page
    assert "Downloaded a document: deck.pdf" in page


def test_another_firm_cannot_answer_introductions_or_read_the_access_log(pair):
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    outsider = logged_in_client(FirmMemberFactory().user)
    assert (
        outsider.post(reverse("firm:introduction_accept", args=[introduction.pk])).status_code
        == 404
    )
    assert outsider.get(reverse("firm:access_log", args=[pair.match.project_id])).status_code == 404
    assert "Hello" not in outsider.get(reverse("firm:introductions")).content.decode()
    introduction.refresh_from_db()
    assert introduction.state == "requested"


def test_the_firm_accepts_through_the_page_and_sees_the_institutions_contact(pair):
    introduction_request(match=pair.match, by=pair.institution_user, message="We insure launches.")
    client = logged_in_client(pair.firm_user)
    page = client.get(reverse("firm:introductions")).content.decode()
    assert "We insure launches." in page
    institution = pair.match.offering.institution
    assert institution.contact_email not in page
    introduction = pair.match.introduction
    client.post(reverse("firm:introduction_accept", args=[introduction.pk]))
    assert institution.contact_email in client.get(reverse("firm:introductions")).content.decode()


def test_the_firm_sees_that_an_institution_declined_but_not_why(pair):
    review.match_decline(
        match=pair.match, by=pair.institution_user, reason="other", note="Team looks thin to us."
    )
    page = (
        logged_in_client(pair.firm_user)
        .get(reverse("firm:project_matches", args=[pair.match.project_id]))
        .content.decode()
    )
    assert '<span class="badge declined">Declined</span>' in page
    assert "Team looks thin" not in page


def test_decline_through_the_page_keeps_the_reason_private(pair):
    client = logged_in_client(pair.institution_user)
    client.post(
        reverse("institution:decline", args=[pair.match.pk]),
        {"reason": "other", "note": "Team looks thin."},
    )
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.DECLINED
    firm_page = logged_in_client(pair.firm_user).get(
        reverse("firm:match_detail", args=[pair.match.pk])
    )
    assert "Team looks thin." not in firm_page.content.decode()


def test_decline_without_a_reason_is_explained(pair):
    client = logged_in_client(pair.institution_user)
    response = client.post(
        reverse("institution:decline", args=[pair.match.pk]), {"reason": ""}, follow=True
    )
    assert "This field is required." in response.content.decode()
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW


def test_match_list_filters_hide_declined_and_withdrawn(pair):
    client = logged_in_client(pair.institution_user)
    title = pair.match.project.title
    assert title in client.get(reverse("institution:match_list")).content.decode()
    assert (
        title
        not in client.get(reverse("institution:match_list"), {"min_score": "101"}).content.decode()
    )
    review.match_decline(match=pair.match, by=pair.institution_user, reason="risk_too_high")
    assert title not in client.get(reverse("institution:match_list")).content.decode()
    assert (
        title
        in client.get(reverse("institution:match_list"), {"status": "declined"}).content.decode()
    )
    other = matched_pair()
    project_services.project_withdraw(project=other.match.project, by=None)
    other_client = logged_in_client(other.institution_user)
    assert (
        other.match.project.title
        not in other_client.get(reverse("institution:match_list")).content.decode()
    )
    assert (
        other_client.get(reverse("institution:match_detail", args=[other.match.pk])).status_code
        == 404
    )


def test_match_list_query_count_does_not_grow(django_assert_max_num_queries):
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution)
    for project in ProjectFactory.create_batch(20):
        scoring.score_project(project.pk)
    assert Match.objects.filter(offering=offering).count() == 20
    client = logged_in_client(member.user)
    # a cache miss: the list is built; 2 more read the suggestions from decisions, 1 asks
    # whether an offering is active (why an empty list is empty)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("institution:match_list"))
    assert response.context["page"].paginator.count == 20


def test_pipeline_board_groups_matches_by_status(pair):
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    page = (
        logged_in_client(pair.institution_user)
        .get(reverse("institution:pipeline"))
        .content.decode()
    )
    assert (
        page.index("Shortlisted")
        < page.index(pair.match.project.title)
        < page.index("Introduction requested")
    )


def test_declining_with_other_and_no_note_keeps_the_form_open_with_its_error(pair):
    client = logged_in_client(pair.institution_user)
    response = client.post(
        reverse("institution:decline", args=[pair.match.pk]), {"reason": "other", "note": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    decline_form = page[page.index("<details open><summary>Decline</summary>") :]
    assert 'class="errorlist' in decline_form[: decline_form.index("</details>")]
    assert '<option value="other" selected>' in decline_form
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW


def test_who_looked_counts_a_reading_once_and_names_the_person(pair):
    pair.institution_user.first_name, pair.institution_user.last_name = "Wei", "Wang"
    pair.institution_user.save()
    client = logged_in_client(pair.institution_user)
    for _ in range(5):
        client.get(reverse("institution:match_detail", args=[pair.match.pk]))
    assert AccessLog.objects.filter(kind=AccessLog.Kind.VIEW).count() == 1
    firm_page = logged_in_client(pair.firm_user).get(
        reverse("firm:access_log", args=[pair.match.project.pk])
    )
    assert "<td>Wei Wang</td>" in firm_page.content.decode()


def test_refusing_an_introduction_is_confirmed_and_can_be_undone_the_same_day(pair):
    from datetime import timedelta

    from django.utils import timezone

    from matchmaker.models import Introduction, IntroductionState

    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    firm = logged_in_client(pair.firm_user)
    page = firm.get(reverse("firm:introductions")).content.decode()
    assert "Refuse…</summary>" in page and "until the end of today" in page
    firm.post(reverse("firm:introduction_refuse", args=[introduction.pk]))
    page = firm.get(reverse("firm:introductions")).content.decode()
    assert "Undo the refusal (until the end of today)" in page
    firm.post(reverse("firm:introduction_undo_refusal", args=[introduction.pk]))
    introduction.refresh_from_db()
    pair.match.refresh_from_db()
    assert introduction.state == IntroductionState.REQUESTED
    assert pair.match.status == MatchStatus.INTRO_REQUESTED
    firm.post(reverse("firm:introduction_refuse", args=[introduction.pk]))
    Introduction.objects.filter(pk=introduction.pk).update(
        answered_at=timezone.now() - timedelta(days=1)
    )
    firm.post(reverse("firm:introduction_undo_refusal", args=[introduction.pk]))
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.REFUSED

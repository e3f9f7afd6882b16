"""The API twins of the web's actions do what the web does, through the same services:
pipeline moves and undo, introductions' undo, packages, documents and the access log,
saved views, learning and suggestions, notifications, and the programme office's tools."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from matchmaker.matching import scoring, stacks
from matchmaker.models import (
    AccessLog,
    LearnedWeights,
    Match,
    MatchStatus,
    Notification,
    NotificationPreference,
    ScoringRun,
    SuggestionAnswer,
)
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from projects.models import Document, ProjectStatus
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def introduced():
    pair = matched_pair()
    introduction = introduction_request(match=pair.match, message="Hi", by=pair.institution_user)
    introduction_answer(introduction=introduction, accept=True, by=pair.firm_user)
    return pair, introduction


def test_the_pipeline_moves_to_term_sheet_and_closes_with_its_history():
    pair, _introduction = introduced()
    bank = api_client_for(pair.institution_user)
    url = f"/api/v1/matches/{pair.match.pk}/"
    moved = bank.post(url + "move/", {"status": "term_sheet", "note": "Terms sent"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == MatchStatus.TERM_SHEET
    refused = bank.post(url + "move/", {"status": "shortlisted"}, format="json")
    assert refused.status_code == 409  # the state machine's answer, as on the web
    # won only with its terms, through the programme's deals (as the web asks for them)
    won = bank.post(url + "move/", {"status": "closed_won"}, format="json")
    assert won.status_code == 400 and "programme/deals" in str(won.json())
    assert Match.objects.get(pk=pair.match.pk).status == MatchStatus.TERM_SHEET
    assert bank.post(url + "move/", {"status": "closed_lost"}, format="json").status_code == 200
    history = bank.get(url + "history/").json()
    assert [(h["from_status"], h["to_status"]) for h in history][:2] == [
        ("term_sheet", "closed_lost"),
        ("in_talks", "term_sheet"),
    ]
    assert history[1]["note"] == "Terms sent"
    assert history[1]["by"] == pair.institution_user.username


def test_undo_takes_back_todays_decision_and_only_that():
    pair = matched_pair()
    bank = api_client_for(pair.institution_user)
    url = f"/api/v1/matches/{pair.match.pk}/"
    assert bank.post(url + "undo/").status_code == 409  # nothing to undo
    bank.post(url + "decline/", {"reason": "risk_too_high"}, format="json")
    undone = bank.post(url + "undo/")
    assert undone.status_code == 200 and undone.json()["status"] == MatchStatus.NEW
    assert Match.objects.get(pk=pair.match.pk).status == MatchStatus.NEW


def test_a_refusal_is_undone_the_same_day_through_the_api():
    pair = matched_pair()
    introduction = introduction_request(match=pair.match, message="Hi", by=pair.institution_user)
    firm = api_client_for(pair.firm_user)
    firm.post(f"/api/v1/introductions/{introduction.pk}/refuse/")
    undone = firm.post(f"/api/v1/introductions/{introduction.pk}/undo-refusal/")
    assert undone.status_code == 200 and undone.json()["state"] == "requested"
    again = firm.post(f"/api/v1/introductions/{introduction.pk}/undo-refusal/")
    assert again.status_code == 409


def test_the_firm_asks_every_member_of_a_package_at_once():
    pair = matched_pair()
    OfferingFactory(name="Second lender", instrument="credit", ticket_min=5_000_000)
    scoring.score_project(pair.match.project_id)
    stacks.rebuild_packages(pair.match.project_id)
    firm = api_client_for(pair.firm_user)
    project = pair.match.project_id
    [package] = [
        p for p in firm.get(f"/api/v1/projects/{project}/packages/").json() if p["rank"] == 1
    ]
    asked = firm.post(f"/api/v1/projects/{project}/packages/1/ask/")
    assert asked.status_code == 200
    assert asked.json()["asked"] == len(package["members"]) > 0
    member_matches = {m["match_id"] for m in package["members"]}
    assert set(Match.objects.filter(pk__in=member_matches).values_list("status", flat=True)) == {
        MatchStatus.INTRO_REQUESTED
    }
    assert firm.post(f"/api/v1/projects/{project}/packages/9/ask/").status_code == 404


def test_a_project_is_marked_funded_and_reopened():
    pair = matched_pair()
    firm = api_client_for(pair.firm_user)
    project = pair.match.project_id
    assert firm.post(f"/api/v1/projects/{project}/funded/").json()["status"] == ProjectStatus.FUNDED
    assert firm.post(f"/api/v1/projects/{project}/reopen/").json()["status"] == "submitted"


def test_documents_upload_list_download_and_delete_and_the_institution_reads_them_logged():
    pair, _introduction = introduced()
    firm = api_client_for(pair.firm_user)
    base = f"/api/v1/projects/{pair.match.project_id}/documents/"
    upload = SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf")
    created = firm.post(base, {"kind": "pitch_deck", "file": upload}, format="multipart")
    assert created.status_code == 201, created.json()
    document_id = created.json()["id"]
    assert [d["original_name"] for d in firm.get(base).json()] == ["deck.pdf"]
    renamed_exe = SimpleUploadedFile("deck.pdf", b"MZ\x90\x00", content_type="application/pdf")
    refused = firm.post(base, {"kind": "pitch_deck", "file": renamed_exe}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()
    download = firm.get(f"{base}{document_id}/")
    assert b"".join(download.streaming_content) == PDF

    bank = api_client_for(pair.institution_user)
    match_docs = f"/api/v1/matches/{pair.match.pk}/documents/"
    assert [d["id"] for d in bank.get(match_docs).json()] == [document_id]
    got = bank.get(f"{match_docs}{document_id}/")
    assert b"".join(got.streaming_content) == PDF
    log = firm.get(f"/api/v1/projects/{pair.match.project_id}/access-log/").json()["results"]
    assert [(e["kind"], e["document"]) for e in log] == [(AccessLog.Kind.DOWNLOAD, "deck.pdf")]

    assert firm.delete(f"{base}{document_id}/").status_code == 204
    assert not Document.objects.filter(pk=document_id).exists()


def test_an_institution_sees_no_documents_before_the_introduction_is_accepted():
    pair = matched_pair()
    bank = api_client_for(pair.institution_user)
    assert bank.get(f"/api/v1/matches/{pair.match.pk}/documents/").status_code == 404


def test_saved_views_are_saved_listed_replaced_and_deleted():
    member = InstitutionMemberFactory()
    bank = api_client_for(member.user)
    body = {"name": "Launch", "query": "segment=launch&evil=1&min_score=60"}
    created = bank.post("/api/v1/saved-views/", body, format="json")
    assert created.status_code == 201
    assert created.json()["query"] == "segment=launch&min_score=60"
    bank.post("/api/v1/saved-views/", {"name": "Launch", "query": "stage=rnd"}, format="json")
    listed = bank.get("/api/v1/saved-views/").json()["results"]
    assert [(v["name"], v["query"]) for v in listed] == [("Launch", "stage=rnd")]
    assert bank.delete(f"/api/v1/saved-views/{listed[0]['id']}/").status_code == 204
    assert bank.get("/api/v1/saved-views/").json()["results"] == []


def test_learning_is_read_and_switched_and_suggestions_answered():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, name="Seed equity", trl_min=3)
    for trl in [4, 5, 5, 6, 6, 7, 8]:
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        if trl >= 7:
            review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
        else:
            review.match_decline(match=match, reason="stage_too_early", by=member.user)
    LearnedWeights.objects.create(offering=offering, multipliers={"trl": 1.6}, decisions=7)
    bank = api_client_for(member.user)
    url = f"/api/v1/offerings/{offering.pk}/"
    learned = bank.get(url + "learning/").json()
    assert learned["active"] is True and learned["multipliers"] == {"trl": 1.6}
    [suggestion] = learned["suggestions"]
    assert (suggestion["kind"], suggestion["value"]) == ("require_trl", 7)
    off = bank.patch(url + "learning/", {"active": False}, format="json")
    assert off.json()["active"] is False
    assert LearnedWeights.objects.get(offering=offering).active is False

    accepted = bank.post(
        url + "suggestions/accept/", {"kind": "require_trl", "value": 7}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["suggestions"] == []
    offering.refresh_from_db()
    assert offering.trl_min == 7
    assert SuggestionAnswer.objects.get(offering=offering).state == "accepted"
    gone = bank.post(
        url + "suggestions/dismiss/", {"kind": "require_trl", "value": 7}, format="json"
    )
    assert gone.status_code == 409


def test_notifications_are_listed_marked_read_and_preferences_set():
    pair = matched_pair()
    introduction_request(match=pair.match, message="Hi", by=pair.institution_user)
    firm = api_client_for(pair.firm_user)
    [notice] = firm.get("/api/v1/notifications/?unread=true").json()["results"]
    assert notice["kind"] == "intro_requested" and notice["read"] is False
    marked = firm.post("/api/v1/notifications/mark-read/", {"ids": [notice["id"]]}, format="json")
    assert marked.json()["marked"] == 1
    assert firm.get("/api/v1/notifications/?unread=true").json()["results"] == []
    assert Notification.objects.get(pk=notice["id"]).read_at is not None

    prefs = firm.patch(
        "/api/v1/notifications/preferences/", {"digest_min_score": 75}, format="json"
    )
    assert prefs.json() == {"email_enabled": True, "digest_min_score": 75}
    bad = firm.patch("/api/v1/notifications/preferences/", {"digest_min_score": 101}, format="json")
    assert bad.status_code == 400
    assert NotificationPreference.of(pair.firm_user).digest_min_score == 75


@pytest.fixture
def office():
    operator = get_user_model().objects.create_user("office", password="pw", is_staff=True)
    return api_client_for(operator)


def test_the_office_reads_the_market_and_its_csvs_as_the_page_writes_them(office, client):
    pair = matched_pair()
    review.match_decline(match=pair.match, reason="risk_too_high", by=pair.institution_user)
    market = office.get("/api/v1/operator/market/?by=segment").json()
    assert market["by"] == "segment"
    assert sum(row["submitted"] for row in market["funnel"]) == 1
    declines = office.get("/api/v1/operator/declines/").json()
    assert declines[0]["counts"] == {"risk_too_high": 1}
    csv_text = office.get("/api/v1/operator/exports/declines/").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[1][-1] == "1"
    client.force_login(get_user_model().objects.get(username="office"))
    web = client.get("/operator/export/declines.csv").content.decode("utf-8-sig")
    assert web == csv_text  # the same table, written once
    assert office.get("/api/v1/operator/exports/nonsense/").status_code == 404
    assert office.get("/api/v1/operator/market/?by=weekday").status_code == 400
    assert api_client_for(pair.institution_user).get("/api/v1/operator/market/").status_code == 403


def test_the_office_previews_and_sets_weights_and_watches_the_rescore(office, settings):
    matched_pair()
    weights = office.get("/api/v1/operator/weights/").json()["weights"]
    heavier = {**weights, "trl": 3.0}
    preview = office.post("/api/v1/operator/weights/preview/", {"weights": heavier}, format="json")
    assert preview.status_code == 200 and preview.json()[0]["proposed_rank"] == 1
    saved = office.put("/api/v1/operator/weights/", {"weights": heavier}, format="json")
    assert saved.status_code == 202 and saved.json()["weights"]["trl"] == 3.0
    assert office.get("/api/v1/operator/weights/").json()["weights"]["trl"] == 3.0
    missing = office.put("/api/v1/operator/weights/", {"weights": {"trl": 1}}, format="json")
    assert missing.status_code == 400

    started = office.post("/api/v1/operator/scoring-runs/")
    assert started.status_code == 202
    run = office.get(f"/api/v1/operator/scoring-runs/{started.json()['id']}/").json()
    assert run["status"] == ScoringRun.Status.DONE and run["progress"] == 100
    assert office.get("/api/v1/operator/verification/").json() == {
        "firms": [],
        "institutions": [],
    }

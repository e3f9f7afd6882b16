"""Every URL that takes an id answers 404 to a member of another organisation of the same
kind, on the web and in the API, and changes nothing.

The table below must name every such URL the resolver knows: a new id-taking URL
without an entry fails `test_the_table_covers_every_id_taking_url`.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matchmaker.dealroom import services as room_services
from matchmaker.dealroom.models import (
    DealRoom,
    ItemRequest,
    Message,
    SharedDocument,
    Thread,
    ThreadRead,
)
from matchmaker.matching import scoring, stacks
from matchmaker.models import (
    Introduction,
    LearnedWeights,
    Match,
    MatchStatus,
    Notification,
    Package,
    SavedView,
)
from matchmaker.programme.models import DealTerms
from matchmaker.review.introductions import (
    introduction_answer,
    introduction_request,
    introduction_request_from_firm,
)
from matchmaker.webhooks import services as webhooks
from matchmaker.webhooks.models import Delivery, Endpoint
from projects.models import Document, ProjectStatus
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
)
from tests.matchmaker.programme.helpers import to_term_sheet
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

# Not tenant-scoped by design, each with the reason.
NOT_TENANT_SCOPED = {
    "operator:verify": "operators see every organisation",
    "api:organization-verify": "operators see every organisation",
    **{
        name: "the programme office (staff) manages every tool and decides every case"
        for name in (
            "programme:tool_edit",
            "programme:tool_year",
            "programme:tool_year_csv",
            "programme:membership_decide",
            "programme:enrolment_decide",
            "programme:entitlement_publish",
            "programme:entitlement_refuse",
            "programme:entitlement_pay",
            "programme:claim_decide",
            "programme:objection_resolve",
            "api:programme-tool-figures",
            "api:programme-membership-decide",
            "api:programme-enrolment-decide",
            "api:programme-entitlement-publish",
            "api:programme-entitlement-refuse",
            "api:programme-entitlement-pay",
            "api:programme-claim-decide",
            "api:programme-objection-resolve",
        )
    },
    "api:programme-tool-detail": "the programme's tools are public to every member",
    **{
        name: "the public draft list (公示): anyone objects to a published entry, which "
        "shows only its public fields; a never-published one is a 404 to everyone"
        for name in ("programme:objection_lodge", "api:programme-public-list-object")
    },
    "api:scoring-run-detail": "operators see every re-score",
}
IGNORED_NAMESPACES = {"admin"}  # Django's admin: staff only, its own permissions


def id_taking_url_names(resolver=None, prefix: str = "") -> set[str]:
    """Names of every URL pattern with an int or uuid path converter."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in IGNORED_NAMESPACES:
                continue
            inner = f"{prefix}{namespace}:" if namespace else prefix
            names |= id_taking_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            if any(
                type(c).__name__ in {"IntConverter", "UUIDConverter"} for c in converters.values()
            ):
                names.add(prefix + entry.name)
    return names


@dataclass
class World:
    firm_user: object
    institution_user: object
    match: Match
    firm_intro: Introduction  # the institution asked; the firm answers
    institution_intro: Introduction  # the firm asked; the institution answers
    document: Document
    saved_view: SavedView
    learned: LearnedWeights
    room: DealRoom
    item: ItemRequest
    thread: Thread
    programme: "ProgrammeWorld"
    endpoint: Endpoint  # the institution's webhook endpoint
    delivery: Delivery

    @property
    def project(self):
        return self.match.project


@pytest.fixture
def world(settings) -> World:
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    pair = matched_pair()
    project = pair.match.project
    document = Document(project=project, kind="pitch_deck", original_name="deck.pdf", size=9)
    document.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    firm_intro = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    second = OfferingFactory(institution=pair.match.offering.institution, name="Second")
    scoring.score_project(project.pk)
    other_match = Match.objects.get(project=project, offering=second)
    institution_intro = introduction_request_from_firm(
        match=other_match, by=pair.firm_user, message="Hi"
    )
    stacks.rebuild_packages(project.pk)
    assert Package.objects.filter(project=project, rank=1).exists()
    saved_view = SavedView.objects.create(
        user=pair.institution_user, name="Launch only", query="segment=launch"
    )
    third = OfferingFactory(institution=pair.match.offering.institution, name="Third")
    scoring.score_project(project.pk)
    room_intro = introduction_request(
        match=Match.objects.get(project=project, offering=third),
        by=pair.institution_user,
        message="Room",
    )
    introduction_answer(introduction=room_intro, by=pair.firm_user, accept=True)
    room = DealRoom.objects.get(introduction=room_intro)
    (item,) = room_services.item_requests_create(
        room=room, titles=["Order book"], due_on=timezone.localdate(), by=pair.institution_user
    )
    room_services.item_request_answer(
        item=item,
        kind="upload",
        upload=SimpleUploadedFile("book.pdf", b"%PDF-1.4\n"),
        by=pair.firm_user,
    )
    (open_item,) = room_services.item_requests_create(
        room=room, titles=["Minutes"], due_on=timezone.localdate(), by=pair.institution_user
    )
    thread = room_services.thread_start(
        room=room,
        subject="Collateral",
        body="Pledged?",
        upload=SimpleUploadedFile("q.pdf", b"%PDF-1.4\n"),
        by=pair.institution_user,
    )
    endpoint = webhooks.endpoint_create(
        organization=pair.match.offering.institution,
        url="http://127.0.0.1:9/hooks",
        events=["match.decided"],
        by=pair.institution_user,
    )
    delivery = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    return World(
        pair.firm_user,
        pair.institution_user,
        pair.match,
        firm_intro,
        institution_intro,
        document,
        saved_view,
        LearnedWeights.objects.create(offering=pair.match.offering, multipliers={"trl": 1.5}),
        room,
        open_item,
        thread,
        programme_world(pair),
        endpoint,
        delivery,
    )


@dataclass
class ProgrammeWorld:
    membership: object
    enrolment: object
    deal: object
    entitlement: object
    claim: object
    match: Match  # closed as won with the deal's terms
    objection: object  # against the entitlement, from the public draft list


def programme_world(pair) -> ProgrammeWorld:
    """The world's firm on a list, its institution's offering enrolled in a premium
    subsidy, a deal closed and confirmed with its entitlement, and a claim."""
    from matchmaker.programme import services as programme
    from matchmaker.programme.models import Claim, Objection
    from tests.factories import ToolFactory, UserFactory

    office = UserFactory(is_staff=True)
    firm = pair.match.project.firm
    membership = programme.membership_claim(
        firm=firm, programme_list="programme", evidence="notice", by=pair.firm_user
    )
    tool = ToolFactory(kind="premium_subsidy", loss_band_low_bp=None, loss_band_high_bp=None)
    offering = OfferingFactory(institution=pair.match.offering.institution, name="Enrolled")
    enrolment = programme.enrolment_request(offering=offering, tool=tool, by=pair.institution_user)
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=office)
    scoring.score_project(pair.match.project_id)
    match = Match.objects.get(project=pair.match.project, offering=offering)
    to_term_sheet(match, pair.institution_user, pair.firm_user)
    deal = programme.deal_close(
        match=Match.objects.get(pk=match.pk),
        terms={
            "amount": 10_000_000,
            "rate_bp": 200,
            "tenor_months": 12,
            "start_date": "2026-01-05",
            "end_date": "2027-01-04",
        },
        by=pair.institution_user,
    )
    # a second deal the firm has not confirmed yet, for the confirm URL
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user)
    claim = Claim.objects.create(
        deal=deal,
        enrolment=enrolment,
        outstanding=1,
        loss=1,
        compensation=0,
        reported_by=pair.institution_user,
    )
    objection = Objection.objects.create(
        entitlement=entitlement, name="A citizen", contact="a@b.cn", reason="Repaid early."
    )
    return ProgrammeWorld(membership, enrolment, deal, entitlement, claim, match, objection)


def urls(w: World) -> dict[str, list[tuple[str, str]]]:
    """URL name → [(method, path)], each for an object of the world's organisations."""
    p, m, d = w.project.pk, w.match.pk, w.document.pk
    o = w.match.offering_id
    fi, ii = w.firm_intro.pk, w.institution_intro.pk
    e = w.endpoint.pk
    steps = ["basics", "needs", "risks", "documents", "review"]
    r, t = w.room.pk, w.thread.pk
    answered = w.room.requests.exclude(pk=w.item.pk).get().pk
    message = w.thread.messages.get().pk
    return {
        "dealroom:room": [("get", reverse("dealroom:room", args=[r]))],
        "dealroom:request_create": [("post", reverse("dealroom:request_create", args=[r]))],
        "dealroom:document": [("get", reverse("dealroom:document", args=[r, d]))],
        "dealroom:document_share": [("post", reverse("dealroom:document_share", args=[r, d]))],
        "dealroom:document_withdraw": [
            ("post", reverse("dealroom:document_withdraw", args=[r, d]))
        ],
        "dealroom:thread_create": [("post", reverse("dealroom:thread_create", args=[r]))],
        "dealroom:request_answer": [("post", reverse("dealroom:request_answer", args=[w.item.pk]))],
        "dealroom:request_file": [("get", reverse("dealroom:request_file", args=[answered]))],
        "dealroom:thread": [("get", reverse("dealroom:thread", args=[t]))],
        "dealroom:thread_reply": [("post", reverse("dealroom:thread_reply", args=[t]))],
        "dealroom:message_file": [("get", reverse("dealroom:message_file", args=[message]))],
        "api:dealroom-detail": [("get", reverse("api:dealroom-detail", args=[r]))],
        "api:dealroom-checklist": [("get", reverse("api:dealroom-checklist", args=[r]))],
        "api:dealroom-requests": [("post", reverse("api:dealroom-requests", args=[r]))],
        "api:dealroom-threads": [("post", reverse("api:dealroom-threads", args=[r]))],
        "api:dealroom-document": [("get", reverse("api:dealroom-document", args=[r, d]))],
        "api:dealroom-document-share": [
            ("post", reverse("api:dealroom-document-share", args=[r, d]))
        ],
        "api:dealroom-document-withdraw": [
            ("post", reverse("api:dealroom-document-withdraw", args=[r, d]))
        ],
        "api:room-request-detail": [("get", reverse("api:room-request-detail", args=[w.item.pk]))],
        "api:room-request-answer": [("post", reverse("api:room-request-answer", args=[w.item.pk]))],
        "api:room-request-file": [("get", reverse("api:room-request-file", args=[answered]))],
        "api:room-thread-detail": [("get", reverse("api:room-thread-detail", args=[t]))],
        "api:room-thread-messages": [("post", reverse("api:room-thread-messages", args=[t]))],
        "api:room-thread-read": [("post", reverse("api:room-thread-read", args=[t]))],
        "api:room-message-file": [("get", reverse("api:room-message-file", args=[message]))],
        "projects:detail": [("get", reverse("projects:detail", args=[p]))],
        "projects:step": [("get", reverse("projects:step", args=[p, s])) for s in steps],
        "projects:submit": [("post", reverse("projects:submit", args=[p]))],
        "projects:withdraw": [("post", reverse("projects:withdraw", args=[p]))],
        "projects:reopen": [("post", reverse("projects:reopen", args=[p]))],
        "institution:offering_learning": [
            ("get", reverse("institution:offering_learning", args=[o]))
        ],
        "institution:learning_off": [
            ("post", reverse("institution:learning_off", args=[w.learned.pk]))
        ],
        "institution:learning_on": [
            ("post", reverse("institution:learning_on", args=[w.learned.pk]))
        ],
        "institution:delete_view": [
            ("post", reverse("institution:delete_view", args=[w.saved_view.pk]))
        ],
        "projects:funded": [("post", reverse("projects:funded", args=[p]))],
        "projects:document": [("get", reverse("projects:document", args=[p, d]))],
        "projects:document_delete": [("post", reverse("projects:document_delete", args=[p, d]))],
        "firm:project_matches": [("get", reverse("firm:project_matches", args=[p]))],
        "firm:ask_package": [("post", reverse("firm:ask_package", args=[p, 1]))],
        "firm:access_log": [("get", reverse("firm:access_log", args=[p]))],
        "firm:match_detail": [("get", reverse("firm:match_detail", args=[m]))],
        "firm:introduction_accept": [("post", reverse("firm:introduction_accept", args=[fi]))],
        "firm:introduction_refuse": [("post", reverse("firm:introduction_refuse", args=[fi]))],
        "firm:introduction_undo_refusal": [
            ("post", reverse("firm:introduction_undo_refusal", args=[fi]))
        ],
        "institution:introduction_undo_refusal": [
            ("post", reverse("institution:introduction_undo_refusal", args=[ii]))
        ],
        "investors:detail": [("get", reverse("investors:detail", args=[o]))],
        "investors:edit": [
            ("get", reverse("investors:edit", args=[o])),
            ("post", reverse("investors:edit", args=[o])),
        ],
        "investors:status": [("post", reverse("investors:status", args=[o]))],
        "institution:match_detail": [("get", reverse("institution:match_detail", args=[m]))],
        **{
            f"institution:{action}": [("post", reverse(f"institution:{action}", args=[m]))]
            for action in ("shortlist", "decline", "request_intro", "undo", "move")
        },
        "institution:document": [("get", reverse("institution:document", args=[m, d]))],
        "institution:introduction_accept": [
            ("post", reverse("institution:introduction_accept", args=[ii]))
        ],
        "institution:introduction_refuse": [
            ("post", reverse("institution:introduction_refuse", args=[ii]))
        ],
        "api:project-detail": [
            ("get", reverse("api:project-detail", args=[p])),
            ("patch", reverse("api:project-detail", args=[p])),
        ],
        "api:project-submit": [("post", reverse("api:project-submit", args=[p]))],
        "api:project-withdraw": [("post", reverse("api:project-withdraw", args=[p]))],
        "api:project-reopen": [("post", reverse("api:project-reopen", args=[p]))],
        "api:project-matches": [("get", reverse("api:project-matches", args=[p]))],
        "api:project-packages": [("get", reverse("api:project-packages", args=[p]))],
        "api:offering-detail": [
            ("get", reverse("api:offering-detail", args=[o])),
            ("patch", reverse("api:offering-detail", args=[o])),
        ],
        "api:match-detail": [("get", reverse("api:match-detail", args=[m]))],
        "api:match-shortlist": [("post", reverse("api:match-shortlist", args=[m]))],
        "api:match-decline": [("post", reverse("api:match-decline", args=[m]))],
        "api:match-request-intro": [("post", reverse("api:match-request-intro", args=[m]))],
        "api:introduction-detail": [("get", reverse("api:introduction-detail", args=[fi]))],
        "api:introduction-accept": [("post", reverse("api:introduction-accept", args=[fi]))],
        "api:introduction-refuse": [("post", reverse("api:introduction-refuse", args=[fi]))],
        **programme_urls(w.programme),
        "webhooks:detail": [("get", reverse("webhooks:detail", args=[e]))],
        **{
            f"webhooks:{action}": [("post", reverse(f"webhooks:{action}", args=[e]))]
            for action in ("pause", "resume", "rotate", "ping", "delete")
        },
        "webhooks:replay": [("post", reverse("webhooks:replay", args=[w.delivery.pk]))],
        "api:webhook-endpoint-detail": [
            ("get", reverse("api:webhook-endpoint-detail", args=[e])),
            ("patch", reverse("api:webhook-endpoint-detail", args=[e])),
            ("delete", reverse("api:webhook-endpoint-detail", args=[e])),
        ],
        "api:webhook-endpoint-rotate-secret": [
            ("post", reverse("api:webhook-endpoint-rotate-secret", args=[e]))
        ],
        "api:webhook-endpoint-ping": [("post", reverse("api:webhook-endpoint-ping", args=[e]))],
        "api:webhook-delivery-detail": [
            ("get", reverse("api:webhook-delivery-detail", args=[w.delivery.pk]))
        ],
        "api:webhook-delivery-replay": [
            ("post", reverse("api:webhook-delivery-replay", args=[w.delivery.pk]))
        ],
        "api:project-funded": [("post", reverse("api:project-funded", args=[p]))],
        "api:project-access-log": [("get", reverse("api:project-access-log", args=[p]))],
        "api:project-package-ask": [("post", reverse("api:project-package-ask", args=[p, 1]))],
        "api:project-documents": [
            ("get", reverse("api:project-documents", args=[p])),
            ("post", reverse("api:project-documents", args=[p])),
        ],
        "api:project-document": [
            ("get", reverse("api:project-document", args=[p, d])),
            ("delete", reverse("api:project-document", args=[p, d])),
        ],
        **{
            f"api:match-{action}": [("post", reverse(f"api:match-{action}", args=[m]))]
            for action in ("move", "undo")
        },
        "api:match-history": [("get", reverse("api:match-history", args=[m]))],
        "api:match-documents": [("get", reverse("api:match-documents", args=[m]))],
        "api:match-document": [("get", reverse("api:match-document", args=[m, d]))],
        "api:introduction-undo-refusal": [
            ("post", reverse("api:introduction-undo-refusal", args=[fi]))
        ],
        "api:offering-learning": [
            ("get", reverse("api:offering-learning", args=[o])),
            ("patch", reverse("api:offering-learning", args=[o])),
        ],
        **{
            f"api:offering-suggestion-{answer}": [
                ("post", reverse(f"api:offering-suggestion-{answer}", args=[o]))
            ]
            for answer in ("accept", "dismiss")
        },
        "api:saved-view-detail": [
            ("delete", reverse("api:saved-view-detail", args=[w.saved_view.pk]))
        ],
    }


def programme_urls(pw: ProgrammeWorld) -> dict[str, list[tuple[str, str]]]:
    e, d, n, c = pw.enrolment.pk, pw.deal.pk, pw.entitlement.pk, pw.claim.pk
    return {
        "programme:deal_confirm": [("post", reverse("programme:deal_confirm", args=[d]))],
        "programme:entitlement_confirm": [
            ("post", reverse("programme:entitlement_confirm", args=[n]))
        ],
        "programme:enrolment_withdraw": [
            ("post", reverse("programme:enrolment_withdraw", args=[e]))
        ],
        "programme:deal_close": [
            ("get", reverse("programme:deal_close", args=[pw.match.pk])),
            ("post", reverse("programme:deal_close", args=[pw.match.pk])),
        ],
        "api:programme-membership-detail": [
            ("get", reverse("api:programme-membership-detail", args=[pw.membership.pk]))
        ],
        "api:programme-enrolment-detail": [
            ("get", reverse("api:programme-enrolment-detail", args=[e]))
        ],
        "api:programme-enrolment-withdraw": [
            ("post", reverse("api:programme-enrolment-withdraw", args=[e]))
        ],
        "api:programme-deal-detail": [("get", reverse("api:programme-deal-detail", args=[d]))],
        "api:programme-deal-confirm": [("post", reverse("api:programme-deal-confirm", args=[d]))],
        "api:programme-entitlement-detail": [
            ("get", reverse("api:programme-entitlement-detail", args=[n]))
        ],
        "api:programme-entitlement-confirm": [
            ("post", reverse("api:programme-entitlement-confirm", args=[n]))
        ],
        "api:programme-claim-detail": [("get", reverse("api:programme-claim-detail", args=[c]))],
        "api:programme-objection-detail": [
            ("get", reverse("api:programme-objection-detail", args=[pw.objection.pk]))
        ],
    }


# Firm-side programme URLs (the rest are the institution's): an outsider firm tries them.
FIRM_SIDE_PROGRAMME = {
    "programme:deal_confirm",
    "programme:entitlement_confirm",
    "api:programme-membership-detail",
    "api:programme-deal-confirm",
    "api:programme-entitlement-confirm",
    "api:programme-objection-detail",
}


FIRM_SIDE = ("projects:", "firm:", "api:project-")
# The firm answers the institution's request: an outsider firm tries the same in the API.
FIRM_SIDE_API_INTRODUCTIONS = ("api:introduction-",)


# Both sides of a deal room use these: outsiders of both kinds must get 404.
BOTH_SIDES = ("dealroom:", "api:dealroom-", "api:room-")


def is_firm_side(name: str) -> bool:
    return name.startswith(FIRM_SIDE + FIRM_SIDE_API_INTRODUCTIONS) or name in FIRM_SIDE_PROGRAMME


# In a deal room (both sides' URLs), the writes only the firm makes.
FIRM_WRITES_IN_ROOMS = {
    "dealroom:document_share",
    "dealroom:document_withdraw",
    "dealroom:request_answer",
    "api:dealroom-document-share",
    "api:dealroom-document-withdraw",
    "api:room-request-answer",
}


def owner_of(name: str, w) -> object:
    """Whose own object the URL names: the firm's member or the institution's."""
    return w.firm_user if is_firm_side(name) or name in FIRM_WRITES_IN_ROOMS else w.institution_user


def client_for(name: str, user) -> Client:
    if name.startswith("api:"):
        client = APIClient()
        client.force_authenticate(user)
        return client
    client = Client()
    client.force_login(user)
    return client


def outsider_client(name: str) -> Client:
    """A signed-in member of another organisation of the kind this URL serves."""
    member = FirmMemberFactory() if is_firm_side(name) else InstitutionMemberFactory()
    return client_for(name, member.user)


def outsider_clients(name: str) -> list[Client]:
    """Outsiders of each kind the URL serves (both, for a deal room's URLs)."""
    if name.startswith(BOTH_SIDES):
        return [
            client_for(name, FirmMemberFactory().user),
            client_for(name, InstitutionMemberFactory().user),
        ]
    return [outsider_client(name)]


BODIES = {
    "institution:decline": {"reason": "other", "note": "not ours"},
    "institution:request_intro": {"message": "Hello"},
    "institution:move": {"status": MatchStatus.IN_TALKS},
    "investors:status": {"status": "closed"},
    "api:match-decline": {"reason": "other", "note": "not ours"},
    "api:match-request-intro": {"message": "Hello"},
    "api:project-detail": {"title": "Taken over"},
    "api:offering-detail": {"name": "Taken over"},
    "dealroom:request_create": {"other_items": "Taken", "due_on": "2099-01-01"},
    "dealroom:thread_create": {"subject": "Taken", "body": "over"},
    "dealroom:thread_reply": {"body": "Taken over"},
    "dealroom:request_answer": {"kind": "text", "text": "Taken over"},
    "api:dealroom-requests": {"titles": ["Taken"], "due_on": "2099-01-01"},
    "api:dealroom-threads": {"subject": "Taken", "body": "over"},
    "api:room-thread-messages": {"body": "Taken over"},
    "api:room-request-answer": {"kind": "text", "text": "Taken over"},
    "api:webhook-endpoint-detail": {"url": "http://127.0.0.1:9/taken", "active": False},
    "api:match-move": {"status": MatchStatus.IN_TALKS},
    "api:offering-learning": {"active": False},
    "api:offering-suggestion-accept": {"kind": "require_trl", "value": 7},
    "api:offering-suggestion-dismiss": {"kind": "require_trl", "value": 7},
}


def snapshot(w: World) -> tuple:
    w.match.refresh_from_db()
    project = w.match.project
    project.refresh_from_db()
    offering = w.match.offering
    offering.refresh_from_db()
    return (
        project.status,
        project.title,
        project.revision,
        offering.status,
        offering.name,
        w.match.status,
        tuple(Introduction.objects.order_by("pk").values_list("state", flat=True)),
        Document.objects.filter(pk=w.document.pk).exists(),
        Package.objects.filter(project=project).count(),
        SharedDocument.objects.filter(withdrawn_at__isnull=True).count(),
        tuple(ItemRequest.objects.order_by("pk").values_list("state", flat=True)),
        Thread.objects.count(),
        Message.objects.count(),
        ThreadRead.objects.count(),
        tuple(Endpoint.objects.values_list("url", "status", "secret")),
        tuple(Delivery.objects.values_list("state", "attempts")),
        SavedView.objects.filter(pk=w.saved_view.pk).exists(),
        tuple(LearnedWeights.objects.values_list("active", flat=True)),
        tuple(Notification.objects.values_list("read_at", flat=True)),
        *programme_snapshot(w.programme),
    )


def programme_snapshot(pw: ProgrammeWorld) -> tuple:
    for record in (pw.enrolment, pw.deal, pw.entitlement, pw.claim, pw.match):
        record.refresh_from_db()
    return (
        pw.enrolment.state,
        pw.deal.state,
        pw.entitlement.state,
        pw.claim.state,
        pw.match.status,
        DealTerms.objects.count(),
    )


def test_the_table_covers_every_id_taking_url(world):
    covered = set(urls(world)) | set(NOT_TENANT_SCOPED)
    assert id_taking_url_names() == covered


def test_another_organisation_gets_404_on_every_id_taking_url(world):
    before = snapshot(world)
    assert before[0] == ProjectStatus.SUBMITTED
    answered = []
    for name, requests in urls(world).items():
        for client in outsider_clients(name):
            for method, path in requests:
                body = BODIES.get(name, {})
                kwargs = {"format": "json"} if name.startswith("api:") and body else {}
                response = getattr(client, method)(path, body, **kwargs)
                answered.append((name, method, response.status_code))
    assert [entry for entry in answered if entry[2] != 404] == []
    assert snapshot(world) == before


def test_the_owners_reach_every_id_taking_page(world):
    """The same ids open for their own organisation, so the 404s above are about tenancy."""
    introduction_answer(
        introduction=world.firm_intro, by=world.firm_user, accept=True
    )  # documents open
    answered = []
    for name, requests in urls(world).items():
        owner = owner_of(name, world)
        client = client_for(name, owner)
        for method, path in sorted(requests):  # GETs before the writes that may close a page
            if method != "get":
                continue
            answered.append((name, method, client.get(path).status_code))
    assert [entry for entry in answered if entry[2] != 200] == []


def test_the_owners_writes_are_answered_not_refused(world):
    """Each write by its own organisation, from the same starting world (rolled back after
    each), is neither refused as another tenant's (403/404) nor an error: the outsiders'
    404s above are about tenancy, not about URLs that never work."""
    introduction_answer(introduction=world.firm_intro, by=world.firm_user, accept=True)
    answered = []
    for name, requests in urls(world).items():
        owner = owner_of(name, world)
        client = client_for(name, owner)
        for method, path in requests:
            if method == "get":
                continue
            body = BODIES.get(name, {})
            kwargs = {"format": "json"} if name.startswith("api:") and body else {}
            with transaction.atomic():
                response = getattr(client, method)(path, body, **kwargs)
                transaction.set_rollback(True)
            answered.append((name, method, response.status_code))
    refused = [entry for entry in answered if entry[2] in {403, 404} or entry[2] >= 500]
    assert refused == []
    assert len(answered) >= 25

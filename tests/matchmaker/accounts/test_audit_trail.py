"""The writes with no history of their own (verifying an organisation, saving or deleting
a view, issuing an API token) each write an audit row, with who and when, inside their
own transaction: when the row cannot be written, the change is not made either."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from matchmaker.accounts.membership import Organization, organization_of
from matchmaker.accounts.services import member_register, organization_verify, token_issue
from matchmaker.audit import NotInATransaction, audit_record
from matchmaker.models import (
    AppendOnly,
    AuditAction,
    AuditEvent,
    EngineSettings,
    LearnedWeights,
    NotificationPreference,
    SavedView,
)
from matchmaker.operator.services import engine_weights_save
from matchmaker.review.learning import learned_weights_set_active
from matchmaker.review.notifications import notification_preference_update
from matchmaker.review.saved_views import saved_view_delete, saved_view_save
from matchmaker.webhooks import services as webhooks
from matchmaker.webhooks.models import Delivery, Endpoint
from projects.models import Firm
from tests.api.conftest import api_client_for
from tests.factories import (
    PASSWORD,
    FirmFactory,
    InstitutionFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refuse_audit_rows(monkeypatch) -> None:
    """From now on every audit row's INSERT fails, as a full disk or a lost connection would."""

    def refuse(self, *args, **kwargs):
        raise DatabaseError("the audit row could not be written")

    monkeypatch.setattr(AuditEvent, "save", refuse)


@pytest.fixture
def audit_fails(monkeypatch):
    refuse_audit_rows(monkeypatch)


def only_row(action) -> AuditEvent:
    (row,) = AuditEvent.objects.filter(action=action)
    return row


def endpoint_of(user, path: str):
    """An endpoint of the user's organisation on a local address (tests allow those)."""
    return webhooks.endpoint_create(
        organization=organization_of(user),
        url=f"http://127.0.0.1:9/{path}",
        events=["match.created"],
        by=user,
    )


def assert_written_by(row: AuditEvent, user, since) -> None:
    assert row.by == user
    assert since <= row.at <= timezone.now()


@pytest.mark.parametrize(
    ("factory", "action", "kind"),
    [
        (FirmFactory, AuditAction.FIRM_VERIFIED, "firm"),
        (InstitutionFactory, AuditAction.INSTITUTION_VERIFIED, "institution"),
    ],
)
def test_verifying_an_organisation_records_who_and_when(factory, action, kind):
    operator, since = UserFactory(is_staff=True), timezone.now()
    organization = factory(verified=False, verified_at=None)
    organization_verify(organization=Organization(organization), by=operator)
    row = only_row(action)
    assert_written_by(row, operator, since)
    assert row.target == f"{kind}:{organization.pk}"


def test_the_admins_bulk_verification_records_a_row_per_organisation(operator_client):
    firms = [FirmFactory(verified=False, verified_at=None) for _ in range(2)]
    operator_client.post(
        reverse("admin:projects_firm_changelist"),
        {"action": "verify", "_selected_action": [str(firm.pk) for firm in firms]},
    )
    rows = AuditEvent.objects.filter(action=AuditAction.FIRM_VERIFIED)
    assert sorted(rows.values_list("target", flat=True)) == sorted(
        f"firm:{firm.pk}" for firm in firms
    )
    assert {row.by.username for row in rows} == {"operator"}


def test_verifying_an_already_verified_firm_changes_and_records_nothing():
    firm = FirmFactory(verified=True)
    organization_verify(organization=Organization(firm), by=UserFactory(is_staff=True))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("factory", [FirmFactory, InstitutionFactory])
def test_a_verification_whose_row_fails_is_not_made(factory, audit_fails):
    organization = factory(verified=False, verified_at=None)
    with pytest.raises(DatabaseError):
        organization_verify(organization=Organization(organization), by=UserFactory())
    organization.refresh_from_db()
    assert not organization.verified and organization.verified_at is None
    assert not AuditEvent.objects.exists()


def test_issuing_a_token_records_who_when_and_whether_it_is_new():
    user, since = UserFactory(), timezone.now()
    api = api_client_for()
    first = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    again = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert first.json()["token"] == again.json()["token"]
    rows = AuditEvent.objects.filter(action=AuditAction.TOKEN_ISSUED).order_by("pk")
    assert [row.detail for row in rows] == [{"new": True}, {"new": False}]
    for row in rows:
        assert_written_by(row, user, since)
        assert row.target == f"user:{user.pk}"
        assert first.json()["token"] not in str(row.detail)


def test_a_token_whose_row_fails_is_not_issued(audit_fails):
    user = UserFactory()
    with pytest.raises(DatabaseError):
        token_issue(by=user)
    assert not Token.objects.filter(user=user).exists()


def test_saving_and_deleting_a_view_records_who_and_when():
    user, since = UserFactory(), timezone.now()
    view = saved_view_save(name="Launch", query="segment=launch", by=user)
    saved_view_save(name="Launch", query="segment=launch&trl_min=7", by=user)
    target = f"saved_view:{view.pk}"
    saved_view_delete(view=view, by=user)
    saves = AuditEvent.objects.filter(action=AuditAction.SAVED_VIEW_SAVED).order_by("pk")
    assert [(row.detail["query"], row.detail["new"]) for row in saves] == [
        ("segment=launch", True),
        ("segment=launch&trl_min=7", False),
    ]
    deleted = only_row(AuditAction.SAVED_VIEW_DELETED)
    for row in [*saves, deleted]:
        assert_written_by(row, user, since)
        assert row.target == target
    assert deleted.detail == {"name": "Launch"}


def test_deleting_someone_elses_view_records_nothing():
    view = saved_view_save(name="Launch", query="", by=UserFactory())
    with pytest.raises(SavedView.DoesNotExist):
        saved_view_delete(view=view, by=UserFactory())
    assert SavedView.objects.filter(pk=view.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SAVED_VIEW_DELETED).exists()


def test_a_view_whose_row_fails_is_neither_saved_nor_deleted(monkeypatch):
    user = UserFactory()
    view = saved_view_save(name="Launch", query="segment=launch", by=user)
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        saved_view_save(name="Launch", query="trl_min=9", by=user)
    with pytest.raises(DatabaseError):
        saved_view_save(name="Satellites", query="", by=user)
    with pytest.raises(DatabaseError):
        saved_view_delete(view=view, by=user)
    assert list(SavedView.objects.values_list("name", "query")) == [("Launch", "segment=launch")]
    assert AuditEvent.objects.count() == 1


def test_the_audit_trail_is_append_only():
    saved_view_save(name="Launch", query="", by=UserFactory())
    row = AuditEvent.objects.get()
    for change in (
        row.save,
        row.delete,
        AuditEvent.objects.all().delete,
        lambda: AuditEvent.objects.update(target="x"),
    ):
        with pytest.raises(AppendOnly):
            change()


@pytest.mark.django_db(transaction=True)
def test_an_audit_row_outside_a_transaction_is_refused():
    with pytest.raises(NotInATransaction):
        audit_record(action=AuditAction.TOKEN_ISSUED, by=None)
    assert not AuditEvent.objects.exists()


def test_signing_up_records_the_new_member_and_organisation():
    since = timezone.now()
    body = {
        "username": "orbit",
        "password": "laser-crosslink-2030",
        "email": "orbit@firm.test",
        "organization": {"name": "Orbit Optics", "kind": "firm"},
    }
    response = api_client_for().post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 201
    row = only_row(AuditAction.MEMBER_REGISTERED)
    assert_written_by(row, get_user_model().objects.get(username="orbit"), since)
    assert row.target == f"firm:{Firm.objects.get().pk}"


def test_a_sign_up_whose_row_fails_creates_no_account(monkeypatch):
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        member_register(
            username="orbit",
            email="orbit@firm.test",
            password="laser-crosslink-2030",
            organization_name="Orbit Optics",
            kind="firm",
        )
    assert not get_user_model().objects.filter(username="orbit").exists()
    assert not Firm.objects.filter(name="Orbit Optics").exists()


def test_saving_the_default_weights_records_who_when_and_what(monkeypatch):
    operator, since = UserFactory(is_staff=True), timezone.now()
    heavier = {**EngineSettings.current().weights, "trl": 3.0}
    engine_weights_save(weights=heavier, by=operator)
    row = only_row(AuditAction.ENGINE_WEIGHTS_SAVED)
    assert_written_by(row, operator, since)
    assert row.detail == {"weights": heavier}
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        engine_weights_save(weights={**heavier, "trl": 5.0}, by=operator)
    assert EngineSettings.current().weights == heavier


def test_switching_learned_weights_records_who_when_and_which_way(monkeypatch):
    user, since = UserFactory(), timezone.now()
    learned = LearnedWeights.objects.create(offering=OfferingFactory(), multipliers={"trl": 1.2})
    learned_weights_set_active(learned=learned, active=False, by=user)
    row = only_row(AuditAction.LEARNED_WEIGHTS_SWITCHED)
    assert_written_by(row, user, since)
    assert (row.target, row.detail) == (f"offering:{learned.offering_id}", {"active": False})
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        learned_weights_set_active(learned=learned, active=True, by=user)
    learned.refresh_from_db()
    assert learned.active is False


def test_each_change_to_a_webhook_endpoint_is_recorded_without_its_secret(settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    member, since = InstitutionMemberFactory(), timezone.now()
    endpoint = endpoint_of(member.user, "hook")
    webhooks.endpoint_update(endpoint=endpoint, description="CRM", by=member.user)
    webhooks.endpoint_update(endpoint=endpoint, active=False, by=member.user)
    webhooks.endpoint_update(endpoint=endpoint, active=True, by=member.user)
    rotated = webhooks.endpoint_rotate_secret(endpoint=endpoint, by=member.user)
    target = f"endpoint:{endpoint.pk}"
    webhooks.endpoint_delete(endpoint=endpoint, by=member.user)
    rows = list(AuditEvent.objects.order_by("pk"))
    assert [row.action for row in rows] == [
        AuditAction.ENDPOINT_CREATED,
        AuditAction.ENDPOINT_UPDATED,
        AuditAction.ENDPOINT_PAUSED,
        AuditAction.ENDPOINT_RESUMED,
        AuditAction.ENDPOINT_SECRET_ROTATED,
        AuditAction.ENDPOINT_DELETED,
    ]
    assert rows[1].detail["fields"] == ["description"]
    for row in rows:
        assert_written_by(row, member.user, since)
        assert row.target == target
        assert endpoint.secret not in str(row.detail) and rotated.secret not in str(row.detail)


def test_a_webhook_change_whose_row_fails_is_not_made(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    member = InstitutionMemberFactory()
    endpoint = endpoint_of(member.user, "hook")
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        webhooks.endpoint_rotate_secret(endpoint=endpoint, by=member.user)
    with pytest.raises(DatabaseError):
        webhooks.endpoint_delete(endpoint=endpoint, by=member.user)
    with pytest.raises(DatabaseError):
        endpoint_of(member.user, "other")
    assert list(Endpoint.objects.values_list("pk", "secret")) == [(endpoint.pk, endpoint.secret)]


def test_the_admin_shows_the_audit_trail_read_only(operator_client):
    saved_view_save(name="Launch", query="", by=UserFactory(username="reader"))
    row = AuditEvent.objects.get()
    listed = operator_client.get(reverse("admin:matchmaker_auditevent_changelist"))
    assert listed.status_code == 200 and "reader" in listed.content.decode()
    assert operator_client.get(reverse("admin:matchmaker_auditevent_add")).status_code == 403
    delete = reverse("admin:matchmaker_auditevent_delete", args=[row.pk])
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_the_admins_weights_form_records_who_when_and_what(operator_client):
    since = timezone.now()
    EngineSettings.current()
    weights = {**EngineSettings.current().weights, "ticket": 10.0}
    response = operator_client.post(
        reverse("admin:matchmaker_enginesettings_change", args=[1]),
        {"weights": json.dumps(weights), "top_k": "50"},
    )
    assert response.status_code == 302
    row = only_row(AuditAction.ENGINE_WEIGHTS_SAVED)
    assert_written_by(row, get_user_model().objects.get(username="operator"), since)
    assert row.detail == {"weights": weights}


def test_replaying_a_webhook_delivery_is_recorded(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    member, since = InstitutionMemberFactory(), timezone.now()
    endpoint = endpoint_of(member.user, "hook")
    delivery = webhooks.endpoint_ping(endpoint=endpoint, by=member.user)
    webhooks.delivery_replay(delivery=delivery, by=member.user)
    row = only_row(AuditAction.DELIVERY_REPLAYED)
    assert_written_by(row, member.user, since)
    assert (row.target, row.detail) == (f"delivery:{delivery.pk}", {"endpoint": endpoint.pk})
    Delivery.objects.filter(pk=delivery.pk).update(attempts=3)
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        webhooks.delivery_replay(delivery=delivery, by=member.user)
    delivery.refresh_from_db()
    assert delivery.attempts == 3


def test_changing_ones_notification_settings_is_recorded(monkeypatch):
    user, since = UserFactory(), timezone.now()
    notification_preference_update(by=user, email_enabled=False)
    row = only_row(AuditAction.NOTIFICATION_PREFERENCE_UPDATED)
    assert_written_by(row, user, since)
    assert (row.target, row.detail) == (f"user:{user.pk}", {"email_enabled": False})
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        notification_preference_update(by=user, email_enabled=True)
    assert NotificationPreference.of(user).email_enabled is False

"""The wiring: what `projects`, `investors` and the review announce, and the Celery task
or notification each announcement starts. The one module that connects signals.

A scoring request is written in the same transaction as the change (an outbox row), and
the task is published only after commit. If publishing fails, the row stays and the
sweeper publishes it later. Notifications to mail arrive after commit already.
"""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from investors.signals import institution_verified, offering_changed
from investors.signals import written as investors_written
from matchmaker import tasks
from matchmaker.accounts import sessions
from matchmaker.audit import audit_record
from matchmaker.dealroom import revisit
from matchmaker.errors import is_api_request
from matchmaker.matching import outbox
from matchmaker.models import AuditAction, PendingScoring
from matchmaker.review import learning, notifications
from matchmaker.review.notifications import notification_to_mail
from matchmaker.review.services import decision_made
from matchmaker.webhooks import announce
from matchmaker.webhooks.events import deliveries_ready
from projects.signals import document_added, firm_verified, project_changed
from projects.signals import written as projects_written


def request_scoring(kind: str, object_id: int) -> None:
    """The outbox row, and its task after commit unless one is already waiting."""
    if outbox.request_record(kind, object_id):
        transaction.on_commit(lambda: tasks.publish_scoring(kind, object_id))


@receiver(project_changed)
def score_changed_project(sender, project, **kwargs) -> None:
    request_scoring(PendingScoring.Kind.PROJECT, project.pk)


@receiver(project_changed)
def revisit_declined_matches(sender, project, **kwargs) -> None:
    """A "not now" whose condition the change meets brings its match back, in the same
    transaction as the change."""
    revisit.project_revisit(project=project)


@receiver(offering_changed)
def score_changed_offering(sender, offering, **kwargs) -> None:
    request_scoring(PendingScoring.Kind.OFFERING, offering.pk)


@receiver(user_logged_in)
def start_the_idle_clock(sender, request, user, **kwargs) -> None:
    """A web log-in's session counts its idle minutes from now (a token issued by the API
    opens no session)."""
    if request is not None and not is_api_request(request):
        sessions.session_renewed(request)


@receiver(firm_verified)
def tell_firm_it_is_verified(sender, firm, **kwargs) -> None:
    notifications.notify_firm_verified(firm)


@receiver(firm_verified)
def audit_firm_verified(sender, firm, by=None, **kwargs) -> None:
    """`projects` cannot import the audit trail: its verification's row is written here,
    inside the verifying transaction (the signal is sent within it)."""
    audit_record(action=AuditAction.FIRM_VERIFIED, by=by, target=f"firm:{firm.pk}")


@receiver(projects_written)
@receiver(investors_written)
def audit_a_side_apps_write(sender, action, by, target, detail=None, **kwargs) -> None:
    """`projects` and `investors` cannot import the audit trail: each write of theirs
    announces itself inside its transaction, and its row is written here."""
    audit_record(action=AuditAction(action), by=by, target=target, detail=detail)


@receiver(institution_verified)
def tell_institution_it_is_verified(sender, institution, **kwargs) -> None:
    notifications.notify_institution_verified(institution)


@receiver(institution_verified)
def audit_institution_verified(sender, institution, by=None, **kwargs) -> None:
    audit_record(
        action=AuditAction.INSTITUTION_VERIFIED, by=by, target=f"institution:{institution.pk}"
    )


@receiver(decision_made)
def learn_from_the_decision(sender, offering_id: int, **kwargs) -> None:
    tasks.enqueue(tasks.learn_from_decisions, offering_id)


@receiver(learning.learned_weights_changed)
def rescore_what_was_learned(sender, offering_id: int, **kwargs) -> None:
    request_scoring(PendingScoring.Kind.OFFERING, offering_id)


@receiver(notification_to_mail)
def mail_notification(sender, notification_id: int, **kwargs) -> None:
    tasks.enqueue(tasks.send_notification_email, notification_id)


@receiver(deliveries_ready)
def send_webhooks(sender, delivery_ids: list[int], **kwargs) -> None:
    for delivery_id in delivery_ids:
        tasks.enqueue(tasks.send_webhook, delivery_id)


@receiver(document_added)
def announce_shared_document(sender, document, **kwargs) -> None:
    announce.document_shared(document)

"""Offering changes: each one bumps the revision and is announced to listeners."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Offering, OfferingStatus
from .signals import offering_changed

ALLOWED_MOVES = {
    OfferingStatus.DRAFT: {OfferingStatus.ACTIVE, OfferingStatus.CLOSED},
    OfferingStatus.ACTIVE: {OfferingStatus.PAUSED, OfferingStatus.CLOSED},
    OfferingStatus.PAUSED: {OfferingStatus.ACTIVE, OfferingStatus.CLOSED},
    OfferingStatus.CLOSED: set(),
}


def record_change(offering: Offering) -> None:
    """Count the change and announce it inside this transaction (see projects.lifecycle)."""
    Offering.objects.filter(pk=offering.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    offering.refresh_from_db(fields=["revision", "updated_at"])
    offering_changed.send(sender=Offering, offering=offering)


def can_move(offering: Offering, status: str) -> bool:
    return status in ALLOWED_MOVES[OfferingStatus(offering.status)]


@transaction.atomic
def move(offering: Offering, status: str) -> bool:
    """Pause, activate or close; returns False for a move the lifecycle forbids."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if not can_move(offering, status):
        return False
    offering.status = status
    offering.save(update_fields=["status", "updated_at"])
    record_change(offering)
    return True


@transaction.atomic
def verify_institutions(institutions) -> int:
    """Operator action: a verified institution's active offerings become matchable."""
    count = 0
    for institution in institutions.select_for_update().filter(verified=False):
        institution.verified = True
        institution.verified_at = timezone.now()
        institution.save(update_fields=["verified", "verified_at"])
        for offering in institution.offerings.filter(status=OfferingStatus.ACTIVE):
            record_change(offering)
        count += 1
    return count

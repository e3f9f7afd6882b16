"""Every write to institutions and offerings, each in one transaction.

Each offering change bumps the revision and is announced with `offering_changed` inside
the same transaction (see `projects.services`). Web views and API views call these
functions; forms and serializers only validate.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.vocabulary import StateConflict, rmb

from .models import OFFERING_EDITABLE_FIELDS, Institution, Offering, OfferingStatus
from .signals import institution_verified, offering_changed, written

logger = logging.getLogger(__name__)

ALLOWED_MOVES = {
    OfferingStatus.DRAFT: {OfferingStatus.ACTIVE, OfferingStatus.CLOSED},
    OfferingStatus.ACTIVE: {OfferingStatus.PAUSED, OfferingStatus.CLOSED},
    OfferingStatus.PAUSED: {OfferingStatus.ACTIVE, OfferingStatus.CLOSED},
    OfferingStatus.CLOSED: set(),
}


def _audit(action: str, by, offering: Offering, **detail) -> None:
    """The write's row in the audit trail, written by matchmaker inside this transaction."""
    target = f"offering:{offering.pk}"
    written.send(sender=Offering, action=action, by=by, target=target, detail=detail)


def _record_change(offering: Offering) -> None:
    """Count the change and announce it inside this transaction."""
    Offering.objects.filter(pk=offering.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    offering.refresh_from_db(fields=["revision", "updated_at"])
    offering_changed.send(sender=Offering, offering=offering)


def _apply(offering: Offering, fields: dict) -> None:
    unknown = set(fields) - set(OFFERING_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through offering_update: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(offering, name, value)
    if offering.capacity_left is None:
        offering.capacity_left = offering.capacity_total  # "left" defaults to all of it
    offering.save()


def can_move(*, offering: Offering, status: str) -> bool:
    return status in ALLOWED_MOVES[OfferingStatus(offering.status)]


@transaction.atomic
def offering_create(*, institution: Institution, by, fields: dict, active: bool = True) -> Offering:
    """Publish an offering (or keep it paused); it is scored after commit."""
    offering = Offering(
        institution=institution,
        status=OfferingStatus.ACTIVE if active else OfferingStatus.PAUSED,
    )
    _apply(offering, fields)
    if active:
        _refuse_if_it_cannot_lend(offering)  # before anything is announced; rolls back
    _record_change(offering)
    _audit("offering_created", by, offering, status=offering.status)
    logger.info("offering %s created by user %s", offering.pk, getattr(by, "pk", None))
    return offering


@transaction.atomic
def offering_update(
    *, offering: Offering, by, fields: dict, active: bool | None = None
) -> Offering:
    """Edit an offering; ``active`` pauses or activates it in the same step."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status == OfferingStatus.CLOSED:
        raise StateConflict({"status": _("A closed offering can no longer be changed.")})
    _apply(offering, fields)
    target = OfferingStatus.ACTIVE if active else OfferingStatus.PAUSED
    if active is not None and offering.status != target:
        _move(offering, target)
    else:
        _record_change(offering)
    _audit("offering_updated", by, offering, revision=offering.revision, status=offering.status)
    logger.info("offering %s updated by user %s", offering.pk, getattr(by, "pk", None))
    return offering


def _refuse_if_it_cannot_lend(offering: Offering) -> None:
    """An active offering whose capacity left is below its smallest ticket would match
    nothing, silently: it is not published like that."""
    if offering.capacity_left < offering.ticket_min:
        raise StateConflict(
            {
                "capacity_left": _(
                    "Only %(left)s of the capacity is left, below the smallest ticket of "
                    "%(ticket)s: raise the capacity or lower the smallest ticket before "
                    "activating."
                )
                % {"left": rmb(offering.capacity_left), "ticket": rmb(offering.ticket_min)}
            }
        )


def _move(offering: Offering, status: str) -> None:
    if not can_move(offering=offering, status=status):
        raise StateConflict(_("That change of status is not possible."))
    if status == OfferingStatus.ACTIVE:
        _refuse_if_it_cannot_lend(offering)
    offering.status = status
    offering.save(update_fields=["status", "updated_at"])
    _record_change(offering)


@transaction.atomic
def offering_move(*, offering: Offering, by, status: str) -> Offering:
    """Pause, activate or close, as the lifecycle allows."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    _move(offering, status)
    _audit("offering_status_changed", by, offering, status=status)
    logger.info("offering %s now %s (user %s)", offering.pk, status, getattr(by, "pk", None))
    return offering


@transaction.atomic
def institutions_verify(*, institutions, by=None) -> int:
    """Operator action: a verified institution's active offerings become matchable."""
    count = 0
    for institution in institutions.select_for_update().filter(verified=False):
        institution.verified = True
        institution.verified_at = timezone.now()
        institution.save(update_fields=["verified", "verified_at"])
        for offering in institution.offerings.filter(status=OfferingStatus.ACTIVE):
            _record_change(offering)
        institution_verified.send(sender=Institution, institution=institution, by=by)
        count += 1
    return count

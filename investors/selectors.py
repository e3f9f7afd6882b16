"""Who may read which institution data: the one place the institution-side ownership
rule is written. Web views and API views both start from these querysets."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Institution, InstitutionMember, Offering


def institution_of(user) -> Institution | None:
    """The institution the user works for, or None; looked up once per user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_institution_cache"):
        link = InstitutionMember.objects.filter(user=user).select_related("institution").first()
        user._institution_cache = link.institution if link else None
    return user._institution_cache


def institution_remember(user, institution: Institution | None) -> None:
    """What `institution_of` would find, read already with the user (one query for the
    user's memberships: `matchmaker.accounts.membership.memberships_read`)."""
    user._institution_cache = institution


def offerings_visible_to(user) -> QuerySet[Offering]:
    """The offerings of the user's own institution; nothing for anyone else."""
    institution = institution_of(user)
    if institution is None:
        return Offering.objects.none()
    return Offering.objects.filter(institution=institution)


def live_offerings() -> QuerySet[Offering]:
    """Offerings the engine may match today (see `OfferingQuerySet.live`)."""
    return Offering.objects.live()


def institution_members(institution: Institution):
    """The active users of an institution, e.g. to notify them."""
    return get_user_model().objects.filter(
        institution_membership__institution=institution, is_active=True
    )

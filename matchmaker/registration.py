"""Signing up: a user and the new, unverified organisation they work for, in one step."""

from django.contrib.auth import get_user_model
from django.db import transaction

from investors import lifecycle as investor_lifecycle
from investors.models import Institution, InstitutionMember
from projects import lifecycle as project_lifecycle
from projects.models import Firm, FirmMember

from .membership import Organization
from .vocabulary import OrganizationKind


@transaction.atomic
def register_member(
    *,
    username: str,
    email: str,
    password: str,
    organization_name: str,
    kind: str,
    institution_type: str = "",
    phone: str = "",
    full_name: str = "",
):
    """Create the user and the organisation; the user becomes its first member and contact."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    contact = {
        "contact_name": full_name or username,
        "contact_email": email,
        "contact_phone": phone,
    }
    if kind == OrganizationKind.FIRM:
        firm = Firm.objects.create(name=organization_name, **contact)
        FirmMember.objects.create(user=user, firm=firm)
        return user, Organization(firm)
    institution = Institution.objects.create(
        name=organization_name, institution_type=institution_type, **contact
    )
    InstitutionMember.objects.create(user=user, institution=institution)
    return user, Organization(institution)


def organization_name_taken(name: str) -> bool:
    return (
        Firm.objects.filter(name__iexact=name).exists()
        or Institution.objects.filter(name__iexact=name).exists()
    )


def verify(organization: Organization) -> None:
    """Operator action, for either kind of organisation."""
    if organization.is_firm:
        project_lifecycle.verify_firms(Firm.objects.filter(pk=organization.id))
    else:
        investor_lifecycle.verify_institutions(Institution.objects.filter(pk=organization.id))
    organization.record.refresh_from_db()

"""Signing up: a user and the new, unverified organisation they work for, in one step."""

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from investors import services as investor_services
from investors.models import Institution, InstitutionMember
from matchmaker.accounts.membership import Organization
from matchmaker.audit import audit_record
from matchmaker.models import AuditAction
from matchmaker.vocabulary import OrganizationKind
from projects import services as project_services
from projects.models import Firm, FirmMember


@transaction.atomic
def member_register(
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
        organization = Organization(firm)
    else:
        institution = Institution.objects.create(
            name=organization_name, institution_type=institution_type, **contact
        )
        InstitutionMember.objects.create(user=user, institution=institution)
        organization = Organization(institution)
    audit_record(
        action=AuditAction.MEMBER_REGISTERED,
        by=user,
        target=f"{'firm' if organization.is_firm else 'institution'}:{organization.record.pk}",
    )
    return user, organization


@transaction.atomic
def organization_verify(*, organization: Organization, by) -> None:
    """Operator action, for either kind of organisation; the audit row is written inside
    this transaction by the `firm_verified` / `institution_verified` receiver
    (`matchmaker/signals.py`), so the admin's bulk action writes it too."""
    if organization.is_firm:
        project_services.firms_verify(firms=Firm.objects.filter(pk=organization.id), by=by)
    else:
        investor_services.institutions_verify(
            institutions=Institution.objects.filter(pk=organization.id), by=by
        )
    organization.record.refresh_from_db()


@transaction.atomic
def token_issue(*, by) -> str:
    """The API token of the person who just logged in: their existing one, else a new one.
    Each handing-out is audited (`detail.new`: whether the token was made now); the row
    names the user, never the key."""
    token, created = Token.objects.get_or_create(user=by)
    audit_record(
        action=AuditAction.TOKEN_ISSUED, by=by, target=f"user:{by.pk}", detail={"new": created}
    )
    return token.key

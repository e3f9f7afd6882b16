"""Which organisation a user belongs to: a firm, an institution, or none (operators)."""

from dataclasses import dataclass

from investors.models import Institution
from investors.selectors import institution_of
from matchmaker.vocabulary import OrganizationKind
from projects.models import Firm
from projects.selectors import firm_of


@dataclass(frozen=True)
class Organization:
    """A firm or an institution seen through what both have in common."""

    record: Firm | Institution

    @property
    def kind(self) -> str:
        if isinstance(self.record, Firm):
            return OrganizationKind.FIRM
        return OrganizationKind.INSTITUTION

    @property
    def is_firm(self) -> bool:
        return self.kind == OrganizationKind.FIRM

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def id(self):
        return self.record.id

    @property
    def verified(self) -> bool:
        return self.record.verified


def organization_of(user) -> Organization | None:
    """The user's organisation, looked up once per request-bound user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_organization_cache"):
        record = firm_of(user) or institution_of(user)
        user._organization_cache = Organization(record) if record else None
    return user._organization_cache


def find_organization(organization_id) -> Organization | None:
    """Firms and institutions share one id space (UUIDs), so one id names one of them."""
    record = (
        Firm.objects.filter(pk=organization_id).first()
        or Institution.objects.filter(pk=organization_id).first()
    )
    return Organization(record) if record else None


def organization_name_taken(name: str) -> bool:
    """Names are unique across firms and institutions, whatever the case."""
    return (
        Firm.objects.filter(name__iexact=name).exists()
        or Institution.objects.filter(name__iexact=name).exists()
    )

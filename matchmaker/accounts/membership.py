"""Which organisation a user belongs to: a firm, an institution, or none (operators)."""

import pickle
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections
from rest_framework.authtoken.models import Token

from investors.models import Institution
from investors.selectors import institution_of, institution_remember
from matchmaker.accounts.languages import language_remember
from matchmaker.read_once import read_once_per_change
from matchmaker.vocabulary import OrganizationKind
from matchmaker.written_areas import RECORDS
from projects.models import Firm
from projects.selectors import firm_of, firm_remember


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


# A user's firm, institution and saved language, read with the user in one query.
MEMBERSHIPS = ("firm_membership__firm", "institution_membership__institution", "profile")


def memberships_read(user) -> None:
    """Read the user's firm, institution and saved language in one query, once per user
    object: a page asked for each in turn (the second factor's check, the navigation, the
    language), three queries a request."""
    if getattr(user, "_memberships_read", False):
        return
    memberships_remember(user, user_with_memberships(user.pk) or user)


def user_with_memberships(user_id):
    """The user with this key and its memberships (`MEMBERSHIPS`), one query read again
    only when a record may have changed (`_model_read_once_per_change`); a fresh
    object on each call; None for no such user. The signed-in user of each page
    (`backends.MembershipsModelBackend`) and `memberships_read` share what it keeps."""
    read = get_user_model().objects.select_related(*MEMBERSHIPS).filter(pk=user_id).first
    return _model_read_once_per_change("user-memberships", user_id, read)


def memberships_remember(user, loaded) -> None:
    """Keep on `user` the memberships `loaded` (the same user, read with `MEMBERSHIPS`)
    holds, for `firm_of`, `institution_of` and `saved_language`."""
    firm_link = getattr(loaded, "firm_membership", None)
    firm_remember(user, firm_link.firm if firm_link else None)
    institution_link = getattr(loaded, "institution_membership", None)
    institution_remember(user, institution_link.institution if institution_link else None)
    profile = getattr(loaded, "profile", None)
    language_remember(user, profile.language if profile else "")
    user._memberships_read = True


def token_with_memberships(key: str):
    """The API token with this key, its user and the user's memberships (`MEMBERSHIPS`)
    read in one query; None for no such token."""
    related = ["user", *(f"user__{path}" for path in MEMBERSHIPS)]
    return Token.objects.select_related(*related).filter(key=key).first()


def token_read_once_per_change(key: str):
    """`token_with_memberships`, read again only when a record may have changed
    (`_model_read_once_per_change`): its seven-table join was 2.6 ms of every API request on
    PostgreSQL (planning it, mostly) and 1.7 ms on SQLite."""
    return _model_read_once_per_change("api-token", key, lambda: token_with_memberships(key))


def _model_read_once_per_change(kind: str, key, read):
    """A model instance `read()` returns (with what it selected along), read again only when
    a record may have changed (`matchmaker.read_once`). A revoked token, a deactivated
    user or a membership moved is a write, so the next request reads again. Each call gets
    objects of its own (kept pickled), so nothing one request sets on its user reaches
    another; a read that finds nothing is not kept."""

    def pickled() -> bytes | None:
        instance = read()
        return None if instance is None else pickle.dumps(instance)

    database = connections[get_user_model().objects.db]
    kept = read_once_per_change(database, kind, key, pickled, area=RECORDS)
    return None if kept is None else pickle.loads(kept)  # our own bytes, never a client's


def organization_of(user) -> Organization | None:
    """The user's organisation, looked up once per request-bound user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_organization_cache"):
        memberships_read(user)
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

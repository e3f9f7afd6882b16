"""Who may read which firm data: the one place the firm-side ownership rule is written.

Web views and API views both start from these querysets, so another firm's project is
simply absent (a 404), never "forbidden".
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Document, Firm, FirmMember, FundingNeed, Project


def firm_of(user) -> Firm | None:
    """The firm the user works for, or None; looked up once per user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_firm_cache"):
        link = FirmMember.objects.filter(user=user).select_related("firm").first()
        user._firm_cache = link.firm if link else None
    return user._firm_cache


def firm_remember(user, firm: Firm | None) -> None:
    """What `firm_of` would find, read already with the user (one query for the user's
    memberships: `matchmaker.accounts.membership.memberships_read`)."""
    user._firm_cache = firm


def projects_visible_to(user) -> QuerySet[Project]:
    """The projects of the user's own firm; nothing for anyone else."""
    firm = firm_of(user)
    if firm is None:
        return Project.objects.none()
    return Project.objects.filter(firm=firm)


def with_match_counts(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Each project's current matches counted in the same query (for the firm's list)."""
    return queryset.annotate(
        matched_offerings=Count("matches", filter=Q(matches__eligible=True), distinct=True)
    )


def project_with_details(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """What a project page or API body shows, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("needs", queryset=FundingNeed.objects.order_by("instrument")),
        "milestones",
        "documents",
    )


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(project__in=projects_visible_to(user))


def matchable_projects() -> QuerySet[Project]:
    """Submitted projects of verified firms: the ones the engine scores."""
    return Project.objects.submitted()


def firm_members(firm: Firm):
    """The active users of a firm, e.g. to notify them."""
    return get_user_model().objects.filter(firm_membership__firm=firm, is_active=True)

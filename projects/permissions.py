"""Who may open the firm's pages: members of that firm, and nobody else.

The ownership rule itself is `selectors.projects_visible_to`; these helpers apply it to a
request, the API's permission classes apply the same `firm_of`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Document, Project
from .selectors import documents_visible_to, firm_of, projects_visible_to


def firm_member_required(view):
    """Allow firm members only; sets ``request.firm``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.firm = firm_of(request.user)
        if request.firm is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def own_project(request, pk: int) -> Project:
    """The firm's own project, or 404: another firm's project does not exist for you."""
    return get_object_or_404(projects_visible_to(request.user).select_related("firm"), pk=pk)


def own_document(request, project_pk: int, document_pk: int) -> Document:
    return get_object_or_404(
        documents_visible_to(request.user), project_id=project_pk, pk=document_pk
    )

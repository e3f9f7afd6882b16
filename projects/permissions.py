"""Who may touch a firm's projects: members of that firm, and nobody else."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import FirmMember, Project


def firm_member_required(view):
    """Allow firm members only; sets ``request.firm``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        link = FirmMember.objects.filter(user=request.user).select_related("firm").first()
        if link is None:
            raise PermissionDenied
        request.firm = link.firm
        return view(request, *args, **kwargs)

    return wrapper


def own_project(request, pk: int) -> Project:
    """The firm's own project, or 404: another firm's project does not exist for you."""
    return get_object_or_404(Project.objects.filter(firm=request.firm), pk=pk)

"""Who may touch an institution's offerings: members of that institution only."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import InstitutionMember, Offering


def institution_member_required(view):
    """Allow institution members only; sets ``request.institution``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        link = (
            InstitutionMember.objects.filter(user=request.user)
            .select_related("institution")
            .first()
        )
        if link is None:
            raise PermissionDenied
        request.institution = link.institution
        return view(request, *args, **kwargs)

    return wrapper


def own_offering(request, pk: int) -> Offering:
    return get_object_or_404(Offering.objects.filter(institution=request.institution), pk=pk)

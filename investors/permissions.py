"""Who may open the institution's pages: members of that institution only.

The ownership rule itself is `selectors.offerings_visible_to`; the API's permission
classes apply the same `institution_of`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Offering
from .selectors import institution_of, offerings_visible_to


def institution_member_required(view):
    """Allow institution members only; sets ``request.institution``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.institution = institution_of(request.user)
        if request.institution is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def own_offering(request, pk: int) -> Offering:
    """The institution's own offering, or 404."""
    return get_object_or_404(offerings_visible_to(request.user), pk=pk)

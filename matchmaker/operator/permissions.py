"""Who may open the operator's pages: the programme's staff."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def operator_required(view):
    """Staff only. Anyone signed out is sent to the site's log-in page; a signed-in firm
    or institution user gets the plain "not allowed" page (never the admin's log-in, which
    would suggest another account might do)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

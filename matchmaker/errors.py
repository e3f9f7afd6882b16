"""Error answers in the form each audience reads: JSON under the API, a page elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    """Django's 404 for addresses no URL matches (``/api/v1/projects/abc/``)."""
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    response = page_not_found(request, exception)
    response.app_page = True  # ours, not Django's debug page (`not_found.py`)
    return response

"""Refuse request bodies larger than any page or endpoint takes, before reading them.

The API answers 413 as JSON; web pages answer 413 as a plain page. Document uploads
(multipart forms) may be as large as a document; everything else is small.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from matchmaker.errors import is_api_request


def body_limit(request) -> int:
    """Uploads (multipart, on the web or through the API's document endpoint) may carry
    a document; any other body is small."""
    if request.content_type == "multipart/form-data":
        return settings.DOCUMENT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if is_api_request(request):
        return settings.API_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request, limit: int):
    """The 413 answer. It may come before the session, locale and authentication
    middleware have run: the page then has no user (the navigation of a visitor) and
    speaks the language of the language cookie or the browser."""
    if not hasattr(request, "LANGUAGE_CODE"):
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
    message = _("The request is larger than %(size)s KiB, the most this address takes.") % {
        "size": limit // 1024
    }
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A body without Content-Length, or form fields past Django's own limit."""
        if isinstance(exception, RequestDataTooBig):
            return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None


class SingleQueryValuesMiddleware:
    """No API query parameter is a list: ``?page=1&page=2`` is a 400, not a silent pick."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request):
            repeated = sorted(key for key, values in request.GET.lists() if len(values) > 1)
            if repeated:
                message = _("Give this parameter once.")
                return JsonResponse({key: [message] for key in repeated}, status=400)
        return self.get_response(request)

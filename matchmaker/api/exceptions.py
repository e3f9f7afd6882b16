"""One translation of the domain's errors for the whole API.

Services raise Django's ``ValidationError`` (with field errors where they know the field);
this turns it into a 400 with DRF's usual body, or a 409 Conflict when it is a
`StateConflict` (the object's lifecycle forbids the change), so no API view wraps errors.
"""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from matchmaker.vocabulary import StateConflict


class Conflict(APIException):
    status_code = 409
    default_code = "conflict"


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, StateConflict):
        exc = Conflict(detail=as_serializer_error(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):  # a body without Content-Length, read too far
        exc = BodyTooLarge()
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and response.status_code == 401
        and not response.has_header("WWW-Authenticate")
    ):
        response["WWW-Authenticate"] = 'Token realm="api"'  # a 401 says how to authenticate
    return response

"""The OpenAPI schema documents every error an operation can answer, not only success.

Which errors apply follows from the operation itself: a body or a query parameter can
be invalid (400), a body too large (413) or conflict with the object's state (409); a
signed-in-only operation can answer 401 and 403; an id in the path or a page number can
be 404; every operation can be throttled (429). Clients (and schemathesis) can rely on
the documented codes.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or non_field_errors, or detail) → what is wrong, in words.",
    "additionalProperties": {},
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class DocumentedErrorsSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code, (schema, description) in self._errors().items():
                responses.setdefault(
                    code, self._get_response_for_code(OpenApiResponse(schema, description), code)
                )
        return responses

    def _errors(self) -> dict[str, tuple[dict, str]]:
        errors = {"429": (DETAIL, "Too many requests; try again later.")}
        has_body = self.method in BODY_METHODS
        lists = self.method == "GET" and self._is_list_view() and self._get_paginator()
        # Declared query parameters (an OpenApiParameter in the query, or a serializer of
        # them) can be invalid or given twice: a 400.
        queried = any(
            getattr(parameter, "location", OpenApiParameter.QUERY) == OpenApiParameter.QUERY
            for parameter in self.get_override_parameters()
        )
        if has_body or lists or queried:
            errors["400"] = (FIELD_ERRORS, "The request is not valid; each field says why.")
        if has_body:
            errors["413"] = (DETAIL, "The request body is too large.")
            if "{" in self.path:
                errors["409"] = (FIELD_ERRORS, "The object's state does not allow this now.")
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            errors["401"] = (DETAIL, "Sign in (session or token) first.")
            errors["403"] = (DETAIL, "Your role may not use this operation.")
        if "{" in self.path or lists:
            errors["404"] = (DETAIL, "No such object among yours, or no such page.")
        return errors

"""The contract documents every twin of a web action, and shows an example of each body
it takes, so a bank's developer sees what to send."""

import pytest
from drf_spectacular.generators import SchemaGenerator

PARITY_PATHS = {
    "/api/v1/projects/{id}/funded/": "post",
    "/api/v1/projects/{id}/access-log/": "get",
    "/api/v1/projects/{id}/packages/{rank}/ask/": "post",
    "/api/v1/projects/{id}/documents/": "post",
    "/api/v1/projects/{id}/documents/{document_pk}/": "delete",
    "/api/v1/matches/{id}/move/": "post",
    "/api/v1/matches/{id}/undo/": "post",
    "/api/v1/matches/{id}/history/": "get",
    "/api/v1/matches/{id}/documents/": "get",
    "/api/v1/matches/{id}/documents/{document_pk}/": "get",
    "/api/v1/introductions/{id}/undo-refusal/": "post",
    "/api/v1/offerings/{id}/learning/": "patch",
    "/api/v1/offerings/{id}/suggestions/accept/": "post",
    "/api/v1/offerings/{id}/suggestions/dismiss/": "post",
    "/api/v1/saved-views/": "post",
    "/api/v1/saved-views/{id}/": "delete",
    "/api/v1/notifications/": "get",
    "/api/v1/notifications/mark-read/": "post",
    "/api/v1/notifications/preferences/": "patch",
    "/api/v1/operator/market/": "get",
    "/api/v1/operator/exports/{table}/": "get",
    "/api/v1/operator/declines/": "get",
    "/api/v1/operator/verification/": "get",
    "/api/v1/operator/weights/": "put",
    "/api/v1/operator/weights/preview/": "post",
    "/api/v1/operator/scoring-runs/": "post",
    "/api/v1/operator/scoring-runs/{id}/": "get",
    "/api/v1/webhooks/endpoints/": "post",
    "/api/v1/webhooks/endpoints/{id}/": "patch",
    "/api/v1/webhooks/endpoints/{id}/rotate-secret/": "post",
    "/api/v1/webhooks/endpoints/{id}/ping/": "post",
    "/api/v1/webhooks/deliveries/": "get",
    "/api/v1/webhooks/deliveries/{id}/replay/": "post",
    "/api/v1/webhooks/event-types/": "get",
}


@pytest.fixture(scope="module")
def schema():
    """The schema `/api/v1/schema/` serves (and `manage.py spectacular` writes)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("path", "method"), sorted(PARITY_PATHS.items()))
def test_each_twin_is_in_the_contract_with_an_example_of_its_body(schema, path, method):
    operation = schema["paths"][path][method]
    assert operation["responses"], path
    body = operation.get("requestBody")
    if body is None:
        return
    contents = body["content"]
    assert all(content.get("examples") for content in contents.values()), (path, contents)

from django.http import HttpRequest

from .membership import organization_of


def membership(request: HttpRequest) -> dict:
    """The signed-in user's organisation, for the navigation bar."""
    return {"organization": organization_of(request.user)}

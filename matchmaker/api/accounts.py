"""REST API v1: signing up, API tokens, and operators verifying organisations."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from matchmaker.accounts.lockout import lockout_message
from matchmaker.accounts.membership import find_organization
from matchmaker.accounts.services import member_register, organization_verify, token_issue
from matchmaker.accounts.two_factor import token_second_factor_error as second_factor_error
from matchmaker.api import serializers as api
from matchmaker.api.parsers import BoundedJSONParser


def _organization_payload(organization) -> dict:
    return {
        "id": organization.id,
        "name": organization.name,
        "kind": organization.kind,
        "verified": organization.verified,
    }


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "register"

    @extend_schema(request=api.RegisterSerializer, responses={201: api.RegisterSerializer})
    def post(self, request):
        serializer = api.RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, organization = serializer.validated_data, serializer.validated_data["organization"]
        user, created = member_register(
            username=data["username"],
            email=data["email"],
            password=data["password"],
            organization_name=organization["name"],
            kind=organization["kind"],
            institution_type=organization.get("institution_type", ""),
        )
        body = {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "organization": _organization_payload(created),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class WrongCredentials(APIException):
    """401, not 400: the request was well formed, the credentials are not valid."""

    status_code = 401
    default_detail = _("Unable to log in with these credentials.")
    default_code = "wrong_credentials"


class LockedOut(APIException):
    """Too many wrong passwords for this user name (django-axes): a 429 like a throttle."""

    status_code = 429
    default_code = "locked_out"


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "token"

    parser_classes = [BoundedJSONParser, FormParser]

    # The contract documents the JSON body only: a plain form is accepted too (for curl),
    # but a request body with two content types breaks openapi-python-client 0.29's
    # generated code (tests/api/test_generated_client_journey.py).
    @extend_schema(
        request={"application/json": api.TokenRequestSerializer},
        responses={
            200: api.TokenSerializer,
            401: OpenApiResponse(description="Unable to log in with these credentials."),
        },
    )
    def post(self, request):
        serializer = api.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = dict(serializer.validated_data)
        code = credentials.pop("otp", "")
        user = authenticate(request, **credentials)
        if user is None:
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                raise LockedOut(lockout_message())
            raise WrongCredentials()
        refused = second_factor_error(user, code)
        if refused is not None:
            raise WrongCredentials(refused)
        # A log-in like the web's: the failure count resets (django-axes), last_login moves.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token_issue(by=user)})


class OrganizationViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "uuid"
    permission_classes = [IsAdminUser]
    serializer_class = api.OrganizationSerializer

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={
            200: api.OrganizationSerializer,
            404: OpenApiResponse(description="No such organisation"),
        },
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        organization = find_organization(pk)
        if organization is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        organization_verify(organization=organization, by=request.user)
        return Response(_organization_payload(organization))

"""REST API v1: the web product for machines, with the web UI's permissions."""

import hashlib

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from investors import services as offering_services
from investors.models import Offering
from investors.selectors import institution_of, offerings_visible_to
from investors.serializers import OfferingSerializer
from matchmaker.accounts.membership import find_organization
from matchmaker.accounts.services import register_member, verify
from matchmaker.api import serializers as api
from matchmaker.api.pagination import Pages
from matchmaker.api.parsers import BoundedJSONParser
from matchmaker.api.permissions import (
    IsFirmMember,
    IsFirmOrInstitutionMember,
    IsInstitutionMember,
)
from matchmaker.matching import selectors
from matchmaker.models import EngineSettings, Introduction, Match, MatchStatus
from matchmaker.review import services as review
from matchmaker.review.filters import MatchFilter
from matchmaker.review.selectors import (
    LIST_CACHE_SECONDS,
    introductions_to_answer,
    introductions_visible_to,
    match_list_version,
    matches_of_institution_member,
)
from projects import services as project_services
from projects.models import Project
from projects.selectors import firm_of, project_with_details, projects_visible_to
from projects.serializers import ProjectSerializer


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
        user, created = register_member(
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
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise WrongCredentials()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
        verify(organization, by=request.user)
        return Response(_organization_payload(organization))


class FilterListsOnly:
    """Query filters narrow a list; an id in the path names one object whatever the query
    string says (a stray ``?status=x`` on a detail or action is not an error)."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class ProjectViewSet(
    FilterListsOnly,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The firm's own projects; another firm's project is a 404."""

    lookup_value_converter = "int"
    queryset = Project.objects.none()  # for the schema; get_queryset scopes to the user
    serializer_class = ProjectSerializer
    permission_classes = [IsFirmMember]
    pagination_class = Pages
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "segment", "stage"]

    def get_queryset(self):
        return project_with_details(projects_visible_to(self.request.user)).order_by(
            "-updated_at", "-id"
        )

    def perform_create(self, serializer):
        serializer.instance = project_services.project_create(
            firm=firm_of(self.request.user), by=self.request.user, **serializer.service_arguments()
        )

    def perform_update(self, serializer):
        project_services.project_update(
            project=serializer.instance, by=self.request.user, **serializer.service_arguments()
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(request=None, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._change_status(project_services.project_submit)

    @extend_schema(request=None, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._change_status(project_services.project_withdraw)

    @extend_schema(request=None, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """A withdrawn project back up for matching, or one marked as funded within a day."""
        return self._change_status(project_services.project_reopen)

    def _change_status(self, change):
        project = self.get_object()
        change(project=project, by=self.request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)

    @extend_schema(responses={200: api.MatchSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def matches(self, request, pk=None):
        project = self.get_object()
        matches = (
            selectors.matches_of_project(project)
            .select_related("project")
            .prefetch_related("project__needs")
        )
        page = self.paginate_queryset(matches)
        context = {
            **self.get_serializer_context(),
            "default_weights": EngineSettings.current().weights,
        }
        return self.get_paginated_response(
            api.MatchSerializer(page, many=True, context=context).data
        )

    @extend_schema(responses={200: api.PackageSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def packages(self, request, pk=None):
        """Suggested capital stacks, best first (at most three)."""
        project = self.get_object()
        return Response(
            api.PackageSerializer(selectors.packages_of_project(project), many=True).data
        )


class OfferingViewSet(
    FilterListsOnly,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The institution's own offerings; another institution's offering is a 404."""

    lookup_value_converter = "int"
    queryset = Offering.objects.none()
    serializer_class = OfferingSerializer
    permission_classes = [IsInstitutionMember]
    pagination_class = Pages
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "instrument"]

    def get_queryset(self):
        return offerings_visible_to(self.request.user).order_by("-updated_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = offering_services.offering_create(
            institution=institution_of(self.request.user),
            by=self.request.user,
            **serializer.service_arguments(),
        )

    def perform_update(self, serializer):
        serializer.instance = offering_services.offering_update(
            offering=serializer.instance, by=self.request.user, **serializer.service_arguments()
        )


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The institution's match list across its offerings, and its decisions."""

    lookup_value_converter = "int"
    queryset = Match.objects.none()
    serializer_class = api.MatchSerializer
    permission_classes = [IsInstitutionMember]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        return (
            matches_of_institution_member(self.request.user)
            .select_related("project", "offering__institution", "offering__learned_weights")
            .prefetch_related("project__needs")
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "default_weights": EngineSettings.current().weights,
        }

    def list(self, request, *args, **kwargs):
        """The page as JSON, cached under the institution's data fingerprint (as the web
        list is): read again unchanged, it is not rebuilt; after any change it is."""
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        version = match_list_version(institution_of(request.user))
        address = f"{request.get_host()}{request.get_full_path()}"
        key = (
            "api-matches:"
            + hashlib.sha256(f"{version}|{get_language()}|{address}".encode()).hexdigest()
        )
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            cache.set(key, response.data, LIST_CACHE_SECONDS)
            return response
        return Response(data)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        match_filter = MatchFilter(
            self.request.query_params,
            queryset=queryset,
            offerings=offerings_visible_to(self.request.user),
        )
        if not match_filter.is_valid():
            raise ValidationError(match_filter.errors)
        return match_filter.qs

    def _decide(self, request, decision, body_serializer=None):
        """Find the match first (another tenant's is a 404 whatever the body), then
        validate the body, then decide."""
        match = self.get_object()
        data = {}
        if body_serializer is not None:
            body = body_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        decision(match, data)
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)

    @extend_schema(request=None, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._decide(
            request, lambda match, _data: review.move(match, MatchStatus.SHORTLISTED, request.user)
        )

    @extend_schema(request=api.DeclineSerializer, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(
            request,
            lambda match, data: review.decline(match, request.user, data["reason"], data["note"]),
            api.DeclineSerializer,
        )

    @extend_schema(request=api.IntroductionRequestSerializer, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"], url_path="request-intro")
    def request_intro(self, request, pk=None):
        return self._decide(
            request,
            lambda match, data: review.request_introduction(match, request.user, data["message"]),
            api.IntroductionRequestSerializer,
        )


class IntroductionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Introductions either side asked for or received; the side that did not ask answers."""

    lookup_value_converter = "int"
    queryset = Introduction.objects.none()
    serializer_class = api.IntroductionSerializer
    permission_classes = [IsFirmOrInstitutionMember]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        return (
            introductions_visible_to(self.request.user)
            .select_related("match__project__firm", "match__offering__institution")
            .order_by("-requested_at", "-id")
        )

    def _answer(self, accept: bool):
        introduction = get_object_or_404(
            introductions_to_answer(self.request.user), pk=self.kwargs["pk"]
        )
        review.answer_introduction(introduction, self.request.user, accept=accept)
        return Response(self.get_serializer(self.get_queryset().get(pk=introduction.pk)).data)

    @extend_schema(request=None, responses={200: api.IntroductionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(True)

    @extend_schema(request=None, responses={200: api.IntroductionSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._answer(False)

"""REST API v1: a firm's own projects, their matches and packages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from matchmaker.api import serializers as api
from matchmaker.api.access import ProjectAccessLogActions
from matchmaker.api.common import FilterListsOnly
from matchmaker.api.documents import ProjectDocumentActions
from matchmaker.api.pagination import Pages
from matchmaker.api.permissions import IsFirmMember
from matchmaker.matching import selectors, stacks
from matchmaker.review.introductions import package_introductions_request
from projects import services as project_services
from projects.models import Project
from projects.selectors import firm_of, project_with_details, projects_visible_to
from projects.serializers import ProjectSerializer


class ProjectViewSet(
    ProjectDocumentActions,
    ProjectAccessLogActions,
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
    # delete: a document (`documents/{id}/`); a project itself has no DELETE route.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
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

    @extend_schema(request=None, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def funded(self, request, pk=None):
        """Mark the project as funded (it leaves matching; reopen undoes it within a day)."""
        return self._change_status(project_services.project_mark_funded)

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
            "default_weights": selectors.engine_weights(),
        }
        return self.get_paginated_response(
            api.MatchSerializer(page, many=True, context=context).data
        )

    @extend_schema(responses={200: api.PackageSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def packages(self, request, pk=None):
        """Suggested capital stacks, best first (at most three)."""
        project = self.get_object()
        packages = list(selectors.packages_of_project(project))
        stacks.explain_members(project, packages)  # reasons in the Accept-Language
        return Response(api.PackageSerializer(packages, many=True).data)

    @extend_schema(request=None, responses={200: api.PackageAskSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="packages/<int:rank>/ask",
        url_name="package-ask",
        filter_backends=[],
    )
    def package_ask(self, request, pk=None, rank=None):
        """Ask every member of the package for an introduction at once (members already
        asked, declined or closed are skipped); each institution answers on its own."""
        package = selectors.packages_of_project(self.get_object()).filter(rank=rank).first()
        if package is None:
            raise NotFound()
        asked = package_introductions_request(
            package=package, firm=firm_of(request.user), by=request.user
        )
        return Response({"asked": asked})

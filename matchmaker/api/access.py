"""REST API v1: the firm's "who looked" list of a project (views and downloads by
institutions), as on its access-log page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from matchmaker.models import AccessLog
from matchmaker.review.selectors import access_log_of_project


class AccessLogSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", read_only=True)
    person = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()

    class Meta:
        model = AccessLog
        fields = ["at", "kind", "institution", "person", "document"]
        read_only_fields = fields

    def get_person(self, entry: AccessLog) -> str:
        if entry.user is None:
            return ""
        return entry.user.get_full_name() or entry.user.get_username()

    def get_document(self, entry: AccessLog) -> str:
        return entry.document.original_name if entry.document else ""


class ProjectAccessLogActions:
    """Mixed into the project viewset: `self.get_object()` is the firm's own project."""

    @extend_schema(request=None, responses={200: AccessLogSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="access-log", filter_backends=[])
    def access_log(self, request, pk=None):
        """Who at which institution opened the project or downloaded a document, newest
        first (paginated)."""
        page = self.paginate_queryset(access_log_of_project(self.get_object()))
        return self.get_paginated_response(AccessLogSerializer(page, many=True).data)

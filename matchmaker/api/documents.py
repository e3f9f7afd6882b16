"""REST API v1: a project's documents. The firm lists, uploads (multipart), downloads and
deletes its own; an institution lists and downloads those of a match whose introduction
the firm accepted, each download logged as on the web. Actions mixed into the project and
match viewsets, so another tenant's project or match is a 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from investors.selectors import institution_of
from matchmaker.review.access import access_record_download
from matchmaker.review.selectors import contacts_visible
from projects import services as project_services
from projects.documents import validate_document
from projects.models import Document, DocumentKind
from projects.serializers import DocumentSerializer


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A pitch deck",
            value={"kind": "pitch_deck", "file": "deck.pdf"},
            request_only=True,
            media_type="multipart/form-data",
        )
    ]
)
class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(help_text="PDF, PPTX or XLSX, at most DOCUMENT_MAX_BYTES.")

    def validate_file(self, upload):
        try:
            validate_document(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return upload


BINARY = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _download(document: Document) -> FileResponse:
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


class ProjectDocumentActions:
    """The firm's documents of its own project (`self.get_object()` scopes to the firm)."""

    @extend_schema(methods=["GET"], request=None, responses={200: DocumentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """The project's documents; POST uploads one (multipart: `kind`, `file`)."""
        project = self.get_object()
        if request.method == "POST":
            body = DocumentUploadSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            document = project_services.document_add(
                project=project,
                by=request.user,
                kind=body.validated_data["kind"],
                upload=body.validated_data["file"],
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        return Response(DocumentSerializer(project.documents.all(), many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=BINARY)
    @extend_schema(
        methods=["DELETE"], request=None, responses={204: OpenApiResponse(description="Deleted")}
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path="documents/<int:document_pk>",
        url_name="document",
        filter_backends=[],
    )
    def document(self, request, pk=None, document_pk=None):
        """Download one document of the project; DELETE removes it."""
        document = project_document(self.get_object(), document_pk)
        if request.method == "DELETE":
            project_services.document_delete(document=document, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _download(document)


def project_document(project, document_pk) -> Document:
    document = project.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return document


class MatchDocumentActions:
    """The institution's view of a matched project's documents, once introduced."""

    def _introduced_project(self):
        match = self.get_object()
        if not contacts_visible(match):
            raise Http404
        return match

    @extend_schema(request=None, responses={200: DocumentSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="documents",
        url_name="documents",
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """Documents of the match's project: 404 until the firm accepts an introduction."""
        match = self._introduced_project()
        return Response(DocumentSerializer(match.project.documents.all(), many=True).data)

    @extend_schema(request=None, responses=BINARY)
    @action(
        detail=True,
        methods=["get"],
        url_path="documents/<int:document_pk>",
        url_name="document",
        filter_backends=[],
    )
    def document(self, request, pk=None, document_pk=None):
        """Download one (logged in the firm's "who looked" list)."""
        match = self._introduced_project()
        document = project_document(match.project, document_pk)
        access_record_download(
            by=request.user, institution=institution_of(request.user), document=document
        )
        return _download(document)

"""REST API v1: introductions either side asked for or received, and their answers."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from matchmaker.api import serializers as api
from matchmaker.api.pagination import Pages
from matchmaker.api.permissions import IsFirmOrInstitutionMember
from matchmaker.models import Introduction
from matchmaker.review.introductions import introduction_answer, introduction_refusal_undo
from matchmaker.review.selectors import (
    introductions_to_answer,
    introductions_visible_to,
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
            .select_related("match__project__firm", "match__offering__institution", "room")
            .order_by("-requested_at", "-id")
        )

    def _answer(self, accept: bool):
        introduction = get_object_or_404(
            introductions_to_answer(self.request.user), pk=self.kwargs["pk"]
        )
        documents = None
        if accept:
            body = api.IntroductionAcceptSerializer(data=self.request.data or {})
            body.is_valid(raise_exception=True)
            wanted = body.validated_data["documents"]
            if wanted is not None:
                documents = list(introduction.match.project.documents.filter(pk__in=wanted))
                if len(documents) != len(set(wanted)):
                    raise ValidationError({"documents": [_("Choose documents of this project.")]})
        introduction_answer(
            introduction=introduction, by=self.request.user, accept=accept, documents=documents
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=introduction.pk)).data)

    @extend_schema(
        request=api.IntroductionAcceptSerializer, responses={200: api.IntroductionSerializer}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(True)

    @extend_schema(request=None, responses={200: api.IntroductionSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._answer(False)

    @extend_schema(request=None, responses={200: api.IntroductionSerializer})
    @action(detail=True, methods=["post"], url_path="undo-refusal")
    def undo_refusal(self, request, pk=None):
        """Take back your own refusal of today: the request is open again (409 otherwise)."""
        introduction = get_object_or_404(introductions_to_answer(request.user), pk=pk)
        introduction_refusal_undo(introduction=introduction, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=introduction.pk)).data)

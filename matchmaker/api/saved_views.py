"""REST API v1: the match list's saved views (named filters), as on the web list."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets

from matchmaker.api.pagination import Pages
from matchmaker.api.permissions import IsInstitutionMember
from matchmaker.models import SavedView
from matchmaker.review.filters import match_list_query
from matchmaker.review.saved_views import saved_view_delete, saved_view_save
from matchmaker.review.selectors import saved_views_of
from matchmaker.vocabulary import StrictCharField, plain_text_serializer_field


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Launch, TRL 7+",
            value={"name": "Launch, TRL 7+", "query": "segment=launch&min_score=60"},
            request_only=True,
        )
    ]
)
class SavedViewSerializer(serializers.ModelSerializer):
    name = plain_text_serializer_field(max_length=60)
    query = StrictCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="The match list's filters as a query string (GET /api/v1/matches/ takes "
        "the same); other keys are dropped.",
    )

    class Meta:
        model = SavedView
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_query(self, query: str) -> str:
        return match_list_query(query)


class SavedViewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The person's saved views; the same name again replaces its filters."""

    lookup_value_converter = "int"
    queryset = SavedView.objects.none()
    serializer_class = SavedViewSerializer
    permission_classes = [IsInstitutionMember]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        return saved_views_of(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = saved_view_save(by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        saved_view_delete(view=instance, by=self.request.user)

"""REST API v1: a person's own notifications, marking them read, and their preferences
(the web's bell, list and settings page)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from matchmaker.api.pagination import Pages
from matchmaker.models import Notification, NotificationPreference
from matchmaker.review import notifications
from matchmaker.review.selectors import notifications_of
from matchmaker.vocabulary import StrictBooleanField, StrictIntegerField


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


@extend_schema_serializer(
    examples=[
        OpenApiExample("Mark two as read", value={"ids": [12, 13]}, request_only=True),
        OpenApiExample("Mark all as read", value={}, request_only=True),
    ]
)
class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text="Which to mark read; left out, every unread notification.",
    )
    marked = StrictIntegerField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Digest from 75, e-mails on",
            value={"email_enabled": True, "digest_min_score": 75},
            request_only=True,
        )
    ]
)
class PreferenceSerializer(serializers.ModelSerializer):
    email_enabled = StrictBooleanField(required=False)
    digest_min_score = StrictIntegerField(required=False, min_value=0, max_value=100)

    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "digest_min_score"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in person's notifications, newest first; `?unread=true` for unread only."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        mine = notifications_of(self.request.user)
        if self.request.query_params.get("unread") == "true":
            mine = mine.filter(read_at__isnull=True)
        return mine

    @extend_schema(request=MarkReadSerializer, responses={200: MarkReadSerializer})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = notifications.notifications_mark_read(
            by=request.user, notification_ids=body.validated_data.get("ids")
        )
        return Response({"ids": body.validated_data.get("ids", []), "marked": marked})


class NotificationPreferenceView(APIView):
    """E-mails on or off, and the daily digest's threshold (the settings page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PreferenceSerializer})
    def get(self, request):
        return Response(PreferenceSerializer(NotificationPreference.of(request.user)).data)

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer})
    def patch(self, request):
        body = PreferenceSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        preference = notifications.notification_preference_update(
            by=request.user, **body.validated_data
        )
        return Response(PreferenceSerializer(preference).data)

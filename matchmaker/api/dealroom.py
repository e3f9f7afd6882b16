"""REST API v1 for what follows an introduction: deal rooms (requests, answers, documents,
questions), the office's access record, overdue requests and response records.

The same selectors and services as the web pages: another organisation's room, request,
thread or message is a 404; a closed room answers 409 to every write. Answers and messages
may carry a file as multipart (the document limits apply); everything else is JSON.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from matchmaker.api.pagination import Pages
from matchmaker.api.parsers import BoundedJSONParser
from matchmaker.api.permissions import IsFirmMember, IsFirmOrInstitutionMember
from matchmaker.dealroom import deadlines, selectors, services
from matchmaker.dealroom.forms import MAX_FREE_ITEMS
from matchmaker.dealroom.models import (
    AnswerKind,
    ChecklistItem,
    DealRoom,
    ItemRequest,
    Message,
    SharedDocument,
    Thread,
)
from matchmaker.models import AccessLog, Introduction
from matchmaker.review.selectors import matches_of_firm_member
from matchmaker.vocabulary import plain_text_serializer_field
from projects.documents import validate_document

FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")


def _validated_file(value):
    try:
        validate_document(value)
    except DjangoValidationError as error:  # its words, as the field's error
        raise serializers.ValidationError(error.messages) from error
    return value


# ---- bodies the API reads -------------------------------------------------------------


class ItemRequestsCreateSerializer(serializers.Serializer):
    checklist_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    titles = serializers.ListField(
        child=plain_text_serializer_field(max_length=200),
        required=False,
        default=list,
        max_length=MAX_FREE_ITEMS,
    )
    due_on = serializers.DateField()

    def validate(self, attrs):
        if not attrs["checklist_items"] and not attrs["titles"]:
            raise serializers.ValidationError(
                {"checklist_items": [_("Choose at least one item or write one.")]}
            )
        return attrs


class AnswerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AnswerKind.choices)
    text = plain_text_serializer_field(
        multiline=True, required=False, allow_blank=True, max_length=5000, default=""
    )
    file = serializers.FileField(required=False, validators=[_validated_file])


class ThreadCreateSerializer(serializers.Serializer):
    subject = plain_text_serializer_field(max_length=200)
    body = plain_text_serializer_field(multiline=True, max_length=5000)
    file = serializers.FileField(required=False, validators=[_validated_file])


class ReplySerializer(serializers.Serializer):
    body = plain_text_serializer_field(multiline=True, max_length=5000)
    file = serializers.FileField(required=False, validators=[_validated_file])


# ---- what the API answers -------------------------------------------------------------


class ChecklistItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "kind", "title", "title_en", "title_zh"]
        read_only_fields = fields


class ItemRequestSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    column = serializers.CharField(source="column_now", read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ItemRequest
        fields = [
            "id",
            "room",
            "title",
            "checklist_item",
            "due_on",
            "state",
            "column",
            "answer_text",
            "has_file",
            "file_name",
            "requested_at",
            "answered_at",
        ]
        read_only_fields = fields

    def get_has_file(self, item: ItemRequest) -> bool:
        return bool(item.file)


class SharedDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="document.original_name", read_only=True)
    kind = serializers.CharField(source="document.kind", read_only=True)
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = SharedDocument
        fields = ["document", "name", "kind", "active", "shared_at", "withdrawn_at"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True, default="")
    has_file = serializers.SerializerMethodField()
    read_by = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "author",
            "from_firm",
            "body",
            "has_file",
            "file_name",
            "sent_at",
            "read_by",
        ]
        read_only_fields = fields

    def get_has_file(self, message: Message) -> bool:
        return bool(message.file)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_read_by(self, message: Message) -> list[str]:
        return [mark.user.get_username() for mark in getattr(message, "read_by", [])]


class ThreadSerializer(serializers.ModelSerializer):
    messages = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = ["id", "room", "subject", "started_at", "last_message_at", "messages"]
        read_only_fields = fields

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, thread: Thread) -> list[dict]:
        items = list(thread.messages.select_related("author"))
        selectors.receipts(thread, items)
        return MessageSerializer(items, many=True).data


class ThreadBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Thread
        fields = ["id", "subject", "started_at", "last_message_at"]
        read_only_fields = fields


class BoardSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    answered = serializers.IntegerField()


class DealRoomSerializer(serializers.ModelSerializer):
    project = serializers.SerializerMethodField()
    firm = serializers.CharField(source="introduction.match.project.firm.name", read_only=True)
    institution = serializers.CharField(
        source="introduction.match.offering.institution.name", read_only=True
    )
    offering = serializers.CharField(source="introduction.match.offering.name", read_only=True)
    status = serializers.CharField(source="introduction.match.status", read_only=True)
    read_only = serializers.BooleanField(read_only=True)
    board = serializers.SerializerMethodField()

    class Meta:
        model = DealRoom
        fields = [
            "id",
            "project",
            "firm",
            "institution",
            "offering",
            "status",
            "read_only",
            "opened_at",
            "board",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}
    )
    def get_project(self, room: DealRoom) -> dict:
        project = room.introduction.match.project
        return {"id": project.pk, "title": project.title}

    @extend_schema_field(BoardSerializer)
    def get_board(self, room: DealRoom) -> dict:
        return selectors.board(room).counts()


class DealRoomDetailSerializer(DealRoomSerializer):
    requests = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    threads = serializers.SerializerMethodField()

    class Meta(DealRoomSerializer.Meta):
        fields = [*DealRoomSerializer.Meta.fields, "requests", "documents", "threads"]
        read_only_fields = fields

    @extend_schema_field(ItemRequestSerializer(many=True))
    def get_requests(self, room: DealRoom) -> list[dict]:
        items = room.requests.select_related("checklist_item")
        return ItemRequestSerializer(items, many=True).data

    @extend_schema_field(SharedDocumentSerializer(many=True))
    def get_documents(self, room: DealRoom) -> list[dict]:
        """The firm sees withdrawn consents too; the institution only what it may open."""
        consents = room.shared.select_related("document")
        if not self.context.get("firm_side"):
            consents = consents.filter(withdrawn_at__isnull=True)
        return SharedDocumentSerializer(consents, many=True).data

    @extend_schema_field(ThreadBriefSerializer(many=True))
    def get_threads(self, room: DealRoom) -> list[dict]:
        return ThreadBriefSerializer(room.threads.all(), many=True).data


class AccessRecordSerializer(serializers.ModelSerializer):
    firm = serializers.CharField(source="project.firm.name", read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    person = serializers.SerializerMethodField()
    what = serializers.CharField(read_only=True)

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "kind",
            "firm",
            "project",
            "project_title",
            "institution",
            "institution_name",
            "person",
            "room",
            "document",
            "what",
        ]
        read_only_fields = fields

    def get_person(self, entry: AccessLog) -> str:
        return entry.user.get_username() if entry.user else ""


class OverdueIntroductionSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="match.project_id", read_only=True)
    project_title = serializers.CharField(source="match.project.title", read_only=True)
    firm = serializers.CharField(source="match.project.firm.name", read_only=True)
    institution = serializers.CharField(source="match.offering.institution.name", read_only=True)
    respond_by = serializers.SerializerMethodField()
    waiting_for = serializers.SerializerMethodField()

    class Meta:
        model = Introduction
        fields = [
            "id",
            "project",
            "project_title",
            "firm",
            "institution",
            "requested_at",
            "respond_by",
            "waiting_for",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_respond_by(self, introduction: Introduction):
        return deadlines.respond_by(introduction, self.context["window"])

    @extend_schema_field(serializers.ChoiceField(choices=["institution", "firm"]))
    def get_waiting_for(self, introduction: Introduction) -> str:
        return "institution" if introduction.initiated_by == Introduction.Side.FIRM else "firm"


class ResponsivenessSerializer(serializers.Serializer):
    institution = serializers.UUIDField(source="institution_id")
    name = serializers.CharField()
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    overdue_open = serializers.IntegerField()
    median_working_days = serializers.FloatField(allow_null=True)
    share_in_time = serializers.FloatField(allow_null=True)


# ---- endpoints -------------------------------------------------------------------------


def _firm_side(request) -> bool:
    return selectors.side_of(request.user) == selectors.FIRM


def _download(request, room, field, name: str, document=None) -> FileResponse:
    if not field:
        raise Http404
    services.room_download_record(room=room, name=name, document=document, by=request.user)
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


def _as_drf(call):
    """Run a service; a wrong side (Django's PermissionDenied) is the API's 403."""
    try:
        return call()
    except DjangoPermissionDenied as error:
        raise PermissionDenied() from error


DOCUMENT_ID = OpenApiParameter("document_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class DealRoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deal rooms of the user's organisation; opening one is logged for institutions."""

    lookup_value_converter = "int"
    queryset = DealRoom.objects.none()
    permission_classes = [IsFirmOrInstitutionMember]
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        return selectors.rooms_visible_to(self.request.user).order_by("-opened_at", "-id")

    def get_serializer_class(self):
        return DealRoomDetailSerializer if self.action == "retrieve" else DealRoomSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "firm_side": _firm_side(self.request)}

    def retrieve(self, request, *args, **kwargs):
        room = self.get_object()
        services.room_view_record(room=room, by=request.user)
        return Response(self.get_serializer(room).data)

    @extend_schema(responses={200: ChecklistItemSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def checklist(self, request, pk=None):
        """What the room's institution can ask for from its checklist."""
        room = self.get_object()
        items = selectors.checklist_for(room.introduction.match.offering.institution)
        return Response(ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        request=ItemRequestsCreateSerializer, responses={201: ItemRequestSerializer(many=True)}
    )
    @action(detail=True, methods=["post"], url_path="requests")
    def requests(self, request, pk=None):
        """The institution asks for checklist items and items in its own words."""
        room = self.get_object()
        if _firm_side(request):
            raise PermissionDenied()
        body = ItemRequestsCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checklist = selectors.checklist_for(room.introduction.match.offering.institution)
        wanted = set(body.validated_data["checklist_items"])
        chosen = list(checklist.filter(pk__in=wanted))
        if len(chosen) != len(wanted):
            raise serializers.ValidationError(
                {"checklist_items": [_("Choose items of your own checklist.")]}
            )
        items = _as_drf(
            lambda: services.item_requests_create(
                room=room,
                checklist_items=chosen,
                titles=body.validated_data["titles"],
                due_on=body.validated_data["due_on"],
                by=request.user,
            )
        )
        return Response(ItemRequestSerializer(items, many=True).data, status=201)

    @extend_schema(request=ThreadCreateSerializer, responses={201: ThreadSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="threads",
        parser_classes=[BoundedJSONParser, MultiPartParser],
    )
    def threads(self, request, pk=None):
        """Either side asks a question (a file may come as multipart)."""
        room = self.get_object()
        body = ThreadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        thread = _as_drf(
            lambda: services.thread_start(
                room=room,
                subject=body.validated_data["subject"],
                body=body.validated_data["body"],
                upload=body.validated_data.get("file"),
                by=request.user,
            )
        )
        return Response(ThreadSerializer(thread).data, status=201)

    @extend_schema(parameters=[DOCUMENT_ID], responses={200: FILE_RESPONSE})
    @action(detail=True, methods=["get"], url_path="documents/<int:document_pk>")
    def document(self, request, pk=None, document_pk=None):
        """A document the firm shares; withdrawn consent is a 404 at once."""
        room = self.get_object()
        consent = selectors.shared_document(room, document_pk)
        document = consent.document
        return _download(request, room, document.file, document.original_name, document)

    def _consent(self, document_pk, share: bool):
        room = self.get_object()
        if not _firm_side(self.request):
            raise PermissionDenied()
        document = get_object_or_404(room.introduction.match.project.documents, pk=document_pk)
        if share:
            consent = _as_drf(
                lambda: services.document_share(room=room, document=document, by=self.request.user)
            )
        else:
            consent = get_object_or_404(SharedDocument, room=room, document=document)
            consent = _as_drf(
                lambda: services.document_withdraw(consent=consent, by=self.request.user)
            )
        return Response(SharedDocumentSerializer(consent).data)

    @extend_schema(
        request=None, parameters=[DOCUMENT_ID], responses={200: SharedDocumentSerializer}
    )
    @action(detail=True, methods=["post"], url_path="documents/<int:document_pk>/withdraw")
    def document_withdraw(self, request, pk=None, document_pk=None):
        """The firm ends the institution's access to one document, at once."""
        return self._consent(document_pk, share=False)

    @extend_schema(
        request=None, parameters=[DOCUMENT_ID], responses={200: SharedDocumentSerializer}
    )
    @action(detail=True, methods=["post"], url_path="documents/<int:document_pk>/share")
    def document_share(self, request, pk=None, document_pk=None):
        """The firm shares one more of its project's documents (or again)."""
        return self._consent(document_pk, share=True)


class ItemRequestViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One request of a room; the firm answers it."""

    lookup_value_converter = "int"
    queryset = ItemRequest.objects.none()
    serializer_class = ItemRequestSerializer
    permission_classes = [IsFirmOrInstitutionMember]
    filter_backends = []

    def get_queryset(self):
        return selectors.requests_visible_to(self.request.user)

    @extend_schema(request=AnswerSerializer, responses={200: ItemRequestSerializer})
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, MultiPartParser])
    def answer(self, request, pk=None):
        """A file (multipart), a written answer, or "not_applicable" with the reason as text."""
        item = self.get_object()
        if not _firm_side(request):
            raise PermissionDenied()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = _as_drf(
            lambda: services.item_request_answer(
                item=item,
                kind=body.validated_data["kind"],
                text=body.validated_data["text"],
                upload=body.validated_data.get("file"),
                by=request.user,
            )
        )
        return Response(self.get_serializer(item).data)

    @extend_schema(responses={200: FILE_RESPONSE})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        item = self.get_object()
        return _download(request, item.room, item.file, item.file_name)


class ThreadViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A question with its answers and read receipts; an institution's reading is logged."""

    lookup_value_converter = "int"
    queryset = Thread.objects.none()
    serializer_class = ThreadSerializer
    permission_classes = [IsFirmOrInstitutionMember]
    filter_backends = []

    def get_queryset(self):
        return selectors.threads_visible_to(self.request.user).select_related("room")

    def retrieve(self, request, *args, **kwargs):
        thread = self.get_object()
        services.room_view_record(room=thread.room, by=request.user, what=thread.subject)
        return Response(self.get_serializer(thread).data)

    @extend_schema(request=ReplySerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, MultiPartParser])
    def messages(self, request, pk=None):
        thread = self.get_object()
        body = ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = _as_drf(
            lambda: services.message_post(
                thread=thread,
                body=body.validated_data["body"],
                upload=body.validated_data.get("file"),
                by=request.user,
            )
        )
        return Response(MessageSerializer(message).data, status=201)

    @extend_schema(request=None, responses={200: ThreadSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the thread read up to now: the other side sees the receipt."""
        thread = self.get_object()
        _as_drf(lambda: services.thread_mark_read(thread=thread, by=request.user))
        return Response(self.get_serializer(thread).data)


class MessageFileViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    queryset = Message.objects.none()
    permission_classes = [IsFirmOrInstitutionMember]
    filter_backends = []

    def get_queryset(self):
        return selectors.messages_visible_to(self.request.user)

    @extend_schema(responses={200: FILE_RESPONSE})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        message = self.get_object()
        return _download(request, message.room, message.file, message.file_name)


class AccessLogFilterSerializer(serializers.Serializer):
    firm = serializers.UUIDField(required=False)
    institution = serializers.UUIDField(required=False)
    person = plain_text_serializer_field(required=False, max_length=150)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The office's record of every view and download of firms' confidential items."""

    queryset = AccessLog.objects.none()
    serializer_class = AccessRecordSerializer
    permission_classes = [IsAdminUser]
    pagination_class = Pages
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("firm", OpenApiTypes.UUID),
            OpenApiParameter("institution", OpenApiTypes.UUID),
            OpenApiParameter("person", OpenApiTypes.STR),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        # A plain dict, so an empty value (``?until=``) is refused rather than read as
        # left out, as the schema says.
        query = AccessLogFilterSerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.access_log_search(
            firm_id=data.get("firm"),
            institution_id=data.get("institution"),
            user_query=data.get("person", ""),
            since=data.get("since"),
            until=data.get("until"),
        )


class OverdueFilterSerializer(serializers.Serializer):
    who = serializers.ChoiceField(choices=["all"], required=False)


class OverdueIntroductionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Introduction requests past the programme's window; `?who=all` adds those firms
    must answer."""

    queryset = Introduction.objects.none()
    serializer_class = OverdueIntroductionSerializer
    permission_classes = [IsAdminUser]
    pagination_class = Pages
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("who", OpenApiTypes.STR, enum=["all"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        query = OverdueFilterSerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        everyone = query.validated_data.get("who") == "all"
        return deadlines.overdue(institutions_answer=None if everyone else True).order_by(
            "requested_at", "id"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "window": deadlines.window_days()}


class ResponseTimeViewSet(viewsets.GenericViewSet):
    """How quickly institutions answer firms' introduction requests: every institution for
    the office; for a firm, those matched with its projects (to see before asking)."""

    queryset = Introduction.objects.none()
    serializer_class = ResponsivenessSerializer
    filter_backends = []
    pagination_class = None

    def get_permissions(self):
        if self.request.user.is_staff:
            return [IsAdminUser()]
        return [IsFirmMember()]

    @extend_schema(responses={200: ResponsivenessSerializer(many=True)})
    def list(self, request):
        if request.user.is_staff:
            records = deadlines.responsiveness()
        else:
            ids = set(
                matches_of_firm_member(request.user).values_list(
                    "offering__institution_id", flat=True
                )
            )
            records = deadlines.responsiveness(ids)
        return Response(ResponsivenessSerializer(records, many=True).data)


def register(router) -> None:
    """The deal room's routes on the v1 router."""
    router.register("rooms", DealRoomViewSet, basename="dealroom")
    router.register("room-requests", ItemRequestViewSet, basename="room-request")
    router.register("room-threads", ThreadViewSet, basename="room-thread")
    router.register("room-messages", MessageFileViewSet, basename="room-message")
    router.register("access-log", AccessLogViewSet, basename="access-log")
    router.register(
        "overdue-introductions", OverdueIntroductionViewSet, basename="overdue-introduction"
    )
    router.register("response-times", ResponseTimeViewSet, basename="response-time")

"""REST API v1 for the programme office (staff): the market figures and their CSVs, the
decline reasons, the verification queue, the default weights (with a preview) and full
re-scores (start one, watch it). The same selectors and services as the operator's pages."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from matchmaker.matching.selectors import engine_weights
from matchmaker.models import DeclineReason, ScoringRun
from matchmaker.operator import exports, services
from matchmaker.operator import selectors as dashboard
from matchmaker.vocabulary import Criterion, StrictFloatField, StrictIntegerField, WeightsValidator


class GroupingSerializer(serializers.Serializer):
    """The `by` query parameter: how rows are grouped (a wrong value is a 400)."""

    by = serializers.ChoiceField(choices=list(exports.GROUPINGS), required=False)


BY = GroupingSerializer


def grouping(request, default: str) -> str:
    # A plain dict, so an empty value is refused rather than read as left out.
    query = GroupingSerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data.get("by", default)


class FunnelRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    submitted = StrictIntegerField()
    matched = StrictIntegerField()
    shortlisted = StrictIntegerField()
    introductions = StrictIntegerField()
    accepted = StrictIntegerField()
    closed = StrictIntegerField()


class CapacityRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    need = StrictIntegerField()
    capacity = StrictIntegerField()


class GapProjectSerializer(serializers.Serializer):
    id = StrictIntegerField()
    title = serializers.CharField()
    uncovered = StrictIntegerField()


class GapSerializer(serializers.Serializer):
    segment = serializers.CharField()
    instrument = serializers.CharField()
    label = serializers.CharField()
    need = StrictIntegerField()
    capacity = StrictIntegerField()
    uncovered = StrictIntegerField()
    projects = serializers.SerializerMethodField()

    @extend_schema_field(GapProjectSerializer(many=True))
    def get_projects(self, gap) -> list[dict]:
        return [{"id": i, "title": t, "uncovered": u} for i, t, u in gap.projects]


class MarketSerializer(serializers.Serializer):
    by = serializers.CharField()
    funnel = FunnelRowSerializer(many=True)
    capacity = CapacityRowSerializer(many=True)
    gaps = GapSerializer(many=True)


class DeclineGroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    counts = serializers.DictField(child=StrictIntegerField(), help_text="reason → declines")
    total = StrictIntegerField()
    projects = serializers.SerializerMethodField()

    def get_projects(self, group) -> list[dict]:
        return [{"id": i, "title": t, "declines": n} for i, t, n in group.projects]


class OrganizationBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class VerificationQueueSerializer(serializers.Serializer):
    firms = OrganizationBriefSerializer(many=True)
    institutions = OrganizationBriefSerializer(many=True)


def _weights_field(**kwargs):
    return serializers.DictField(
        child=StrictFloatField(min_value=0),
        validators=[WeightsValidator()],
        help_text="criterion → weight, for every criterion: " + ", ".join(Criterion.values),
        **kwargs,
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Weigh stage and ticket most",
            value={
                "weights": {
                    "segment": 0.3,
                    "stage": 2.5,
                    "trl": 0.3,
                    "ticket": 2.5,
                    "tenor": 0.7,
                    "risk": 0.7,
                    "geography": 0.1,
                    "collateral": 1.1,
                }
            },
            request_only=True,
        )
    ]
)
class WeightsSerializer(serializers.Serializer):
    weights = _weights_field()

    def validate_weights(self, weights: dict) -> dict:
        """The programme's defaults name every criterion (the page's form has them all)."""
        missing = [name for name in Criterion.values if name not in weights]
        if missing:
            raise serializers.ValidationError(
                _("Give a weight for every criterion; missing: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        return weights


class PreviewRequestSerializer(WeightsSerializer):
    sample = StrictIntegerField(
        required=False, help_text="A submitted project's id (default: the latest)."
    )


class PreviewRowSerializer(serializers.Serializer):
    offering_id = StrictIntegerField(source="offering.id")
    offering = serializers.CharField(source="offering.name")
    institution = serializers.CharField(source="offering.institution.name")
    current_score = StrictFloatField()
    proposed_score = StrictFloatField()
    current_rank = StrictIntegerField(allow_null=True)
    proposed_rank = StrictIntegerField(allow_null=True)


class ScoringRunSerializer(serializers.ModelSerializer):
    progress = StrictIntegerField(read_only=True)
    triggered_by = serializers.CharField(source="triggered_by.username", default="")

    class Meta:
        model = ScoringRun
        fields = [
            "id",
            "kind",
            "status",
            "started_at",
            "finished_at",
            "chunks_total",
            "chunks_done",
            "progress",
            "pairs_scored",
            "matches_written",
            "error",
            "triggered_by",
        ]
        read_only_fields = fields


class MarketView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(parameters=[BY], responses={200: MarketSerializer})
    def get(self, request):
        """The funnel (grouped `by` month, segment or instrument), need against live capacity
        per instrument, and the funding gaps with the projects behind each."""
        by = grouping(request, "month")
        body = {
            "by": by,
            "funnel": dashboard.funnel(by),
            "capacity": dashboard.capacity_by_instrument(),
            "gaps": dashboard.funding_picture(),
        }
        return Response(MarketSerializer(body).data)


class ExportView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        parameters=[BY],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            404: OpenApiResponse(description="No such table"),
        },
    )
    def get(self, request, table: str):
        """One table of the market page as CSV (`funnel`, `capacity`, `gaps`, `declines`),
        exactly as the page's CSV link writes it."""
        rows = exports.market_table(table, grouping(request, ""))
        if rows is None:
            raise NotFound()
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
        return response


class DeclinesView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        parameters=[BY],
        responses={200: DeclineGroupSerializer(many=True)},
        description="Standing declines across the market by reason (codes: "
        + ", ".join(DeclineReason.values)
        + "), grouped by segment (default), instrument or month.",
    )
    def get(self, request):
        by = grouping(request, "segment")
        return Response(DeclineGroupSerializer(dashboard.declines(by), many=True).data)


class VerificationQueueView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: VerificationQueueSerializer})
    def get(self, request):
        """Organisations waiting for verification (verify with organizations/{id}/verify/)."""
        firms, institutions = dashboard.verification_queue()
        body = {"firms": firms, "institutions": institutions}
        return Response(VerificationQueueSerializer(body).data)


class WeightsView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: WeightsSerializer})
    def get(self, request):
        return Response({"weights": engine_weights()})

    @extend_schema(request=WeightsSerializer, responses={202: WeightsSerializer})
    def put(self, request):
        """New programme defaults; every pair is re-scored (watch it in scoring-runs/)."""
        body = WeightsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        engine = services.engine_weights_save(
            weights=body.validated_data["weights"], by=request.user
        )
        return Response({"weights": engine.weights}, status=status.HTTP_202_ACCEPTED)


class WeightsPreviewView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        request=PreviewRequestSerializer, responses={200: PreviewRowSerializer(many=True)}
    )
    def post(self, request):
        """How a sample project's best offerings would rank under these weights; nothing is
        saved."""
        body = PreviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        samples = dashboard.sample_projects()
        sample_id = body.validated_data.get("sample")
        sample = samples.filter(pk=sample_id).first() if sample_id else samples.first()
        if sample is None:
            raise NotFound()
        rows = dashboard.preview_weights(sample, engine_weights(), body.validated_data["weights"])
        return Response(PreviewRowSerializer(rows, many=True).data)


class ScoringRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Full re-scores, newest first; POST starts one, GET {id}/ watches its progress."""

    lookup_value_converter = "int"
    queryset = ScoringRun.objects.none()
    serializer_class = ScoringRunSerializer
    permission_classes = [IsAdminUser]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return dashboard.scoring_runs()

    def list(self, request, *args, **kwargs):
        runs = dashboard.recent_scoring_runs()
        return Response(ScoringRunSerializer(runs, many=True).data)

    @extend_schema(request=None, responses={202: ScoringRunSerializer})
    def create(self, request, *args, **kwargs):
        """Start a full re-score (recorded at once; 202 even when the task queue is down:
        it starts as soon as the queue is back)."""
        services.rescore_start(by=request.user)
        run = dashboard.recent_scoring_runs(limit=1)[0]
        return Response(ScoringRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

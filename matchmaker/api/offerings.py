"""REST API v1: an institution's own offerings."""

from rest_framework import mixins, viewsets

from investors import services as offering_services
from investors.models import Offering
from investors.selectors import institution_of, offerings_visible_to
from investors.serializers import OfferingSerializer
from matchmaker.api.common import FilterListsOnly
from matchmaker.api.learning import OfferingLearningActions
from matchmaker.api.pagination import Pages
from matchmaker.api.permissions import IsInstitutionMember


class OfferingViewSet(
    OfferingLearningActions,
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

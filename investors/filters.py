import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Offering


class OfferingFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Offering
        fields = ["status", "instrument", "name"]
